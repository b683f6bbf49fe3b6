-- Parsing multipart/form-data bodies (RFC 7578), enough for the profile-picture and media
-- uploads: each part's name and bytes.
local M = {}

function M.is_form(content_type)
  return type(content_type) == "string" and content_type:lower():find("^%s*multipart/form%-data") ~= nil
end

local function boundary(content_type)
  local params = content_type:match(";(.*)$") or ""
  local lower = params:lower()
  local at = lower:find("boundary=", 1, true)
  if not at then return nil end
  local value = params:sub(at + #"boundary=")
  return value:match('^"([^"]+)"') or value:match("^([^%s;]+)")
end

-- { name, filename?, content_type? } from a part's header lines, or nil and why not.
local function part_head(head)
  local part = {}
  for line in head:gmatch("[^\r\n]+") do
    local name, value = line:match("^([^:]+):%s*(.-)%s*$")
    if not name then return nil, "malformed part header" end
    name = name:lower()
    if name == "content-disposition" then
      if not value:lower():find("^form%-data") then return nil, "part is not form-data" end
      part.name = value:match(';%s*name="([^"]*)"') or value:match(";%s*name=([^%s;]+)")
    end
  end
  if not part.name then return nil, "part without a name" end
  return part
end

-- The parts of body, in order, each { name, data }; or nil and why the
-- body is not valid multipart/form-data.
function M.parse(body, content_type)
  local b = boundary(content_type)
  if not b then return nil, "Content-Type has no boundary" end
  local delimiter = "--" .. b
  local _, pos = body:find(delimiter, 1, true) -- whatever precedes the first delimiter is ignored
  if not pos then return nil, "no part" end
  local parts = {}
  while true do
    pos = pos + 1
    if body:sub(pos, pos + 1) == "--" then return parts end -- the close delimiter
    local line_end = body:find("\r\n", pos, true)
    local head_end = line_end and body:find("\r\n\r\n", line_end, true)
    if not head_end then return nil, "truncated part" end
    local part, err = part_head(body:sub(line_end + 2, head_end - 1))
    if not part then return nil, err end
    local data_start = head_end + 4
    local next_at = body:find("\r\n" .. delimiter, data_start, true)
    if not next_at then return nil, "part without a closing boundary" end
    part.data = body:sub(data_start, next_at - 1)
    parts[#parts + 1] = part
    pos = next_at + 1 + #delimiter
  end
end

-- A form's text fields by name and the bytes of its `file` part (nil when absent), or nil
-- and why the body is not such a form (a name given twice included).
function M.form(body, content_type)
  local parts, err = M.parse(body, content_type)
  if not parts then return nil, "request body: " .. err end
  local fields, file = {}, nil
  for _, part in ipairs(parts) do
    if fields[part.name] or (part.name == "file" and file) then
      return nil, part.name .. ": given twice"
    end
    if part.name == "file" then file = part.data else fields[part.name] = part.data end
  end
  return fields, file
end

return M
