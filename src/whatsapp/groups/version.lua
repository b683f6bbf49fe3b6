-- The release of the Lua files, written by `make version` from the VERSION file.
-- whatsapp.groups.core compares it with its own and refuses to load when they differ.
return "0.1.0"
