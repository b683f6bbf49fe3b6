/* The release, written by `make version` from the VERSION file, as are the rockspec and
 * src/whatsapp/groups/version.lua: core.so and the Lua files each carry their own copy, so
 * that a core.so loaded with Lua files of another release can tell (lwa_core.c). */
#ifndef WA_VERSION_H
#define WA_VERSION_H

#define WA_VERSION "0.1.0"

#endif
