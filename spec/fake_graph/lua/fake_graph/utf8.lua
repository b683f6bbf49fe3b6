-- UTF-8 code point counting with validation. LuaJIT (ngx_lua) has no utf8 library, and Meta's
-- limits ("at most 128 characters") count characters, not bytes. Plain Lua 5.1+, no bit ops.
local byte = string.byte

local M = {}

-- Length in bytes of the sequence that starts with lead byte c, or nil if c cannot start one.
-- 0xC0/0xC1 (overlong) and 0xF5.. (beyond U+10FFFF) never can.
local function sequence_length(c)
  if c < 0x80 then return 1 end
  if c >= 0xC2 and c <= 0xDF then return 2 end
  if c >= 0xE0 and c <= 0xEF then return 3 end
  if c >= 0xF0 and c <= 0xF4 then return 4 end
  return nil
end

local LEAD_OFFSET = { [2] = 0xC0, [3] = 0xE0, [4] = 0xF0 }
local MIN_CODE_POINT = { [2] = 0x80, [3] = 0x800, [4] = 0x10000 }

-- Decodes the multi-byte sequence of length n at i; nil if malformed, overlong, a surrogate or
-- beyond U+10FFFF.
local function decode(s, i, n)
  local cp = byte(s, i) - LEAD_OFFSET[n]
  for j = i + 1, i + n - 1 do
    local c = byte(s, j)
    if not c or c < 0x80 or c > 0xBF then return nil end
    cp = cp * 64 + (c - 0x80)
  end
  if cp < MIN_CODE_POINT[n] or cp > 0x10FFFF or (cp >= 0xD800 and cp <= 0xDFFF) then
    return nil
  end
  return cp
end

-- Number of code points in s, or nil if s is not valid UTF-8.
function M.length(s)
  local i, count, len = 1, 0, #s
  while i <= len do
    local n = sequence_length(byte(s, i))
    if not n or (n > 1 and not decode(s, i, n)) then return nil end
    i = i + n
    count = count + 1
  end
  return count
end

return M
