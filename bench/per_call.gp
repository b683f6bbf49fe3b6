# What it draws: CPU microseconds per create call of each contender (median of the runs,
# log scale), labelled with the ratio to raw libcurl. Data: build/bench/per_call.dat
# (index, label, µs, ratio) written by bench/report.lua.
# Usage: gnuplot -e "data='...'; out='...'" bench/per_call.gp
set terminal pngcairo size 1000,560 font "DejaVu Sans,11" noenhanced
set output out
set title "CPU per create call (client process, median) - lower is better"
set ylabel "CPU microseconds per call (log scale)"
set logscale y
set yrange [10:*]
set style fill solid 0.8 border -1
set boxwidth 0.7
set xtics rotate by -30 left nomirror
set grid ytics
set key off
set xrange [-0.6:*]
set offsets 0, 0.6, 0, 0
plot data using 1:3:xtic(2) with boxes lc rgb "#4a7ab5", \
     data using 1:($3 * 1.25):(sprintf("%.2fx", $4)) with labels font ",10"
