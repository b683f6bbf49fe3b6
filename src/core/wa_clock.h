/* Time between attempts: waiting, and a monotonic clock to measure it. */
#ifndef WA_CLOCK_H
#define WA_CLOCK_H

/* Sleeps for the given seconds (fractions allowed), resuming after signals. */
void wa_sleep(double seconds);

/* Seconds on a monotonic clock (unaffected by changes of the wall clock). */
double wa_now(void);

#endif
