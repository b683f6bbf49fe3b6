/* Waiting between attempts of the blocking transport. */
#ifndef WA_CLOCK_H
#define WA_CLOCK_H

/* Sleeps for the given seconds (fractions allowed), resuming after signals. */
void wa_sleep(double seconds);

#endif
