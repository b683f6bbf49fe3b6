# What it draws: the pump as work grows, over plain HTTP/1.1 and over TLS (HTTP/2): on the
# left its wall time against the floor (calls x delay / max_in_flight), on the right the
# client CPU per call. Data: build/bench/scale.dat (max_in_flight, wall/floor HTTP,
# wall/floor TLS, CPU us/call HTTP, CPU us/call TLS) written by bench/report.lua.
# Usage: gnuplot -e "data='...'; out='...'; delay_ms=50" bench/scale.gp
set terminal pngcairo size 1100,480 font "DejaVu Sans,11" noenhanced
set output out
set multiplot layout 1,2 title sprintf("The pump, answers after %d ms: HTTP/1.1 and TLS with HTTP/2", delay_ms)
set logscale x 2
set grid
set xlabel "max_in_flight"
set xrange [48:1400]
set key top left
set title "wall time / floor - lower is better"
set yrange [0:*]
plot data using 1:2 with linespoints lw 2 pt 7 lc rgb "#4a7ab5" title "HTTP/1.1", \
     data using 1:3 with linespoints lw 2 pt 5 lc rgb "#c0504d" title "TLS, HTTP/2", \
     1 with lines dt 2 lw 2 lc rgb "#888888" title "floor"
set title "client CPU per call, µs - flat is the goal"
set key bottom right
plot data using 1:4 with linespoints lw 2 pt 7 lc rgb "#4a7ab5" title "HTTP/1.1", \
     data using 1:5 with linespoints lw 2 pt 5 lc rgb "#c0504d" title "TLS, HTTP/2"
unset multiplot
