-- What `luarocks test` runs, with the interpreter of the Lua it was asked for
-- (--lua-version): the suite on that same Lua, through `make test`. Arguments after `--`
-- go to busted (`luarocks test -- --pattern=webhook`); the fake server's ports come from
-- the environment as for `make test`.
local lua = rawget(_G, "jit") and "luajit" or "lua" .. _VERSION:match "%d+%.%d+"
local command = "make test LUA=" .. lua
if select("#", ...) > 0 then
  command = command .. " BUSTED_FLAGS='" .. table.concat({ ... }, " "):gsub("'", "'\\''") .. "'"
end
print(command)
io.stdout:flush() -- before make prints its own lines
local status = os.execute(command)
os.exit((status == true or status == 0) and 0 or 1)
