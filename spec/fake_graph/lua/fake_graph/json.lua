-- JSON encoding that can tell an empty array from an empty object. cjson (upstream 2.1.0) writes
-- every empty table as {}, but Graph answers [] for empty lists: a table marked with array() is
-- always written as an array. Keys are sorted, so the same value always gives the same bytes.
local cjson = require "cjson.safe"

local M = { decode = cjson.decode, null = cjson.null }

local ARRAY = {}

-- Marks t (a new table when nil) as an array; returns it.
function M.array(t)
  return setmetatable(t or {}, ARRAY)
end

-- cjson escapes "/" as "\/"; every "/" it writes comes with that backslash, so removing the
-- backslash before each "/" is exact, and URLs stay readable.
local function scalar(v)
  local s = assert(cjson.encode(v))
  return type(v) == "string" and (s:gsub("\\/", "/")) or s
end

local function encode(v, out)
  if type(v) ~= "table" then
    out[#out + 1] = scalar(v)
  elseif getmetatable(v) == ARRAY or #v > 0 then
    out[#out + 1] = "["
    for i = 1, #v do
      if i > 1 then out[#out + 1] = "," end
      encode(v[i], out)
    end
    out[#out + 1] = "]"
  else
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    out[#out + 1] = "{"
    for i, k in ipairs(keys) do
      if i > 1 then out[#out + 1] = "," end
      out[#out + 1] = scalar(k) .. ":"
      encode(v[k], out)
    end
    out[#out + 1] = "}"
  end
end

function M.encode(v)
  local out = {}
  encode(v, out)
  return table.concat(out)
end

return M
