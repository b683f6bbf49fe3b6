-- Loaded before busted by `make check-gc`: the garbage collector runs all the time (as in
-- luv's CI), so a C function that keeps using a Lua string or userdata it no longer anchors,
-- or a __gc that runs at an awkward moment, breaks the suite at once instead of corrupting
-- memory some day in production.

-- Allocation-driven: with a pause of 0 a new cycle starts as soon as one ends, and a large
-- step multiplier ends a cycle within a few allocations, also those made inside our C
-- functions (lua_pushstring, lua_newuserdata, ...), where a dangling pointer would hide.
collectgarbage("setpause", 0)
collectgarbage("setstepmul", 1000)
-- Lua 5.4 also takes the step size (log2 of bytes): a step at (nearly) every allocation.
if _VERSION == "Lua 5.4" then collectgarbage("incremental", 0, 1000, tonumber(os.getenv "GC_STRESS_STEP") or 10) end

-- And a full collection, finalizers included, every few thousand VM instructions of the
-- main thread (where busted runs every test).
local every = tonumber(os.getenv "GC_STRESS_EVERY") or 5000
debug.sethook(function() collectgarbage() end, "", every)
