# What it draws: wall time of the pump's N creates (the fake answering each after a delay)
# against max_in_flight, the floor N x delay / max_in_flight, and the blocking client's
# time for the same N. Data: build/bench/concurrency.dat (max_in_flight, wall cold, floor,
# blocking, wall warm) written by bench/report.lua.
# Usage: gnuplot -e "data='...'; out='...'; calls=1000; delay_ms=50" bench/concurrency.gp
set terminal pngcairo size 900,560 font "DejaVu Sans,11" noenhanced
set output out
set title sprintf("%d creates, each answered after %d ms: wall time - lower is better", calls, delay_ms)
set xlabel "max_in_flight (log scale)"
set ylabel "seconds (log scale)"
set logscale xy
set grid
set key bottom left
set xrange [0.7:400]
plot data using 1:2 with linespoints lw 2 pt 7 lc rgb "#4a7ab5" title "pump (client:async), cold start", \
     data using 1:5 with linespoints lw 2 pt 5 lc rgb "#2f9e5a" title "pump, connections already open", \
     data using 1:3 with lines dt 2 lw 2 lc rgb "#888888" title sprintf("floor: %d x %d ms / max_in_flight", calls, delay_ms), \
     data using 1:4 with lines lw 2 lc rgb "#c0504d" title "blocking client (same calls at its measured rate)"
