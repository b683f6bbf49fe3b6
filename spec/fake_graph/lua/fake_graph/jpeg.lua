-- The pixel size of a JPEG, read from its frame header (an SOFn marker segment) without decoding
-- the image.
local M = {}

-- Markers that stand alone, without a length: TEM and RST0..RST7.
local function standalone(marker)
  return marker == 0x01 or (marker >= 0xD0 and marker <= 0xD7)
end

-- SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
local function frame_header(marker)
  return marker >= 0xC0 and marker <= 0xCF and marker ~= 0xC4 and marker ~= 0xC8 and marker ~= 0xCC
end

-- { width, height }, or nil and why the data is not a JPEG we can read.
function M.size(data)
  if data:sub(1, 3) ~= "\255\216\255" then return nil, "no JPEG start marker" end
  local pos = 3 -- at the 0xFF of the marker after SOI
  while pos + 3 <= #data do
    local marker = data:byte(pos + 1)
    if data:byte(pos) ~= 0xFF then return nil, "corrupt marker" end
    if marker == 0xFF then
      pos = pos + 1 -- fill byte
    elseif standalone(marker) then
      pos = pos + 2
    else
      -- segment: FF marker, length (2 bytes, itself included), content
      local length = data:byte(pos + 2) * 256 + data:byte(pos + 3)
      if length < 2 then return nil, "corrupt segment length" end
      if frame_header(marker) then
        -- content: precision (1 byte), height (2), width (2)
        if pos + 8 > #data then break end
        local height = data:byte(pos + 5) * 256 + data:byte(pos + 6)
        local width = data:byte(pos + 7) * 256 + data:byte(pos + 8)
        return { width = width, height = height }
      end
      if marker == 0xDA or marker == 0xD9 then return nil, "no frame header before the image data" end
      pos = pos + 2 + length
    end
  end
  return nil, "truncated before the frame header"
end

return M
