--- What it measures: where the instructions of one call go, from callgrind. Reads the
-- `callgrind_annotate` listings of a run with N calls and of the same run with 0 calls
-- (startup and warm-up only), subtracts them, divides by N, and prints the cost per call
-- by object (program, libcurl, libc, ...) and by function (self cost), largest first.
-- Usage: lua cg_diff.lua N RUN.txt BASELINE.txt [TOP [inclusive]]   (listings from
-- `callgrind_annotate --auto=no --threshold=100 [--inclusive=yes] FILE`; say inclusive
-- for the latter)
-- Output lines: `obj<TAB>Ir/call<TAB>object` and `fn<TAB>Ir/call<TAB>function<TAB>object`,
-- and first `total<TAB>Ir/call`.
local n, run_file, base_file = tonumber(arg[1]), arg[2], arg[3]
local top, inclusive = tonumber(arg[4] or "40"), arg[5] == "inclusive"

-- The object each function was seen in: callgrind lists some functions twice, once as
-- "file:fn [object]" and once as "???:fn" without the object.
local objects = {}

-- function name -> Ir, and the program total. Names lose their source file, their
-- object and callgrind's "'2" recursion suffixes, so both runs name a function alike.
local function read(path)
  local costs, total = {}, nil
  for line in io.lines(path) do
    local ir, rest = line:match "^%s*([%d,]+)%s+(.+)$"
    if ir then
      ir = tonumber((ir:gsub(",", "")))
      rest = rest:gsub("^%(%s*[%d.]+%%%)%s+", "")
      if rest == "PROGRAM TOTALS" then
        total = ir
      else
        local obj = rest:match "%[([^%]]+)%]$"
        local name = rest:gsub("%s*%[[^%]]+%]$", ""):gsub("^.-:", "", 1):gsub("'%d+$", "")
        if obj then objects[name] = obj:gsub("^.*/", "") end
        -- the two listings of one function split its self cost, but each has all of
        -- its inclusive cost
        costs[name] = inclusive and math.max(costs[name] or 0, ir) or (costs[name] or 0) + ir
      end
    end
  end
  return costs, total
end

local function object_of(name)
  return objects[name] or "?"
end

local function sorted(t)
  local list = {}
  for k, v in pairs(t) do list[#list + 1] = { k, v } end
  table.sort(list, function(a, b) return a[2] > b[2] end)
  return list
end

local run, run_total = read(run_file)
local base, base_total = read(base_file)
local per_fn, per_obj = {}, {}
for name, ir in pairs(run) do
  local d = (ir - (base[name] or 0)) / n
  per_fn[name] = d
  local obj = object_of(name)
  if not inclusive then per_obj[obj] = (per_obj[obj] or 0) + d end
end
for name, ir in pairs(base) do
  if not run[name] then per_fn[name] = -ir / n end
end

print(string.format("total\t%.0f", (run_total - base_total) / n))
for _, e in ipairs(sorted(per_obj)) do
  if math.abs(e[2]) >= 50 then print(string.format("obj\t%.0f\t%s", e[2], e[1])) end
end
for i, e in ipairs(sorted(per_fn)) do
  if i > top then break end
  print(string.format("fn\t%.0f\t%s\t%s", e[2], e[1], object_of(e[1])))
end
