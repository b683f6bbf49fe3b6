-- A minimal HTTP/1.1 client for webhook deliveries (Debian's ngx_lua comes without
-- lua-resty-http): one POST per connection (Connection: close) over ngx.socket.tcp, plain http.
local M = {}

local TIMEOUT_MS = 3000

-- The target of "http://host[:port][/path]", or nil and why not. nginx has no resolver
-- configured here, so the host must be an IPv4 address or localhost.
function M.target(url)
  if type(url) ~= "string" then return nil, "must be a string" end
  local host, port, path = url:match("^http://([^/:?#]+):?(%d*)([^#]*)$")
  if not host then return nil, "must be an http:// URL" end
  if host == "localhost" then host = "127.0.0.1" end
  if not host:match("^%d+%.%d+%.%d+%.%d+$") then
    return nil, "host must be an IPv4 address or localhost (the fake server has no resolver)"
  end
  port = tonumber(port) or 80
  if port < 1 or port > 65535 then return nil, "port out of range" end
  if not path:match("^/") then path = "/" .. path end
  return { host = host, port = port, path = path }
end

-- Reads the answer's head and the body it announces, so the receiver never sees its answer cut
-- by a reset; only the status matters.
local function read_answer(sock)
  local line, err = sock:receive("*l")
  if not line then return nil, "no answer: " .. err end
  local status = tonumber(line:match("^HTTP/%d%.%d (%d%d%d)"))
  if not status then return nil, "not an HTTP answer: " .. line:sub(1, 80) end
  local length
  repeat
    line = sock:receive("*l")
    if not line then return status end -- closed early: the status still counts
    length = length or tonumber(line:lower():match("^content%-length:%s*(%d+)"))
  until line == ""
  if length then sock:receive(length) else sock:receive("*a") end
  return status
end

-- POSTs body with the extra header lines ("Name: value") to a target from M.target(). Returns
-- the HTTP status the receiver answered, or nil and an error message.
function M.post(target, header_lines, body)
  local sock = ngx.socket.tcp()
  sock:settimeouts(TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS)
  local ok, err = sock:connect(target.host, target.port)
  if not ok then return nil, "connect: " .. err end
  local head = {
    "POST " .. target.path .. " HTTP/1.1",
    "Host: " .. target.host .. ":" .. target.port,
    "Content-Length: " .. #body,
    "Connection: close",
  }
  for _, line in ipairs(header_lines) do head[#head + 1] = line end
  ok, err = sock:send(table.concat(head, "\r\n") .. "\r\n\r\n" .. body)
  local status
  if ok then status, err = read_answer(sock) else err = "send: " .. err end
  sock:close()
  return status, err
end

return M
