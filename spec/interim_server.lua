-- A one-shot HTTP server for spec/32: it answers one request with an interim 103 answer
-- carrying Retry-After and a usage header, then a final 429 without them. Usage:
--   lua spec/interim_server.lua PORT   (prints "ready" once listening; serves one request)
local socket = require "socket"

local server = assert(socket.bind("127.0.0.1", tonumber(arg[1])))
io.write "ready\n"
io.flush()
server:settimeout(10)
local conn = server:accept()
if not conn then os.exit(1) end
conn:settimeout(5)
local length = 0
while true do
  local line = conn:receive "*l"
  if line == nil or line == "" then break end
  length = tonumber(line:lower():match "^content%-length:%s*(%d+)") or length
end
if length > 0 then conn:receive(length) end
local body = '{"error":{"message":"slow down","type":"OAuthException","code":131208}}'
conn:send("HTTP/1.1 103 Early Hints\r\nRetry-After: 30\r\nX-App-Usage: {\"call_count\":100}\r\n\r\n"
  .. "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: "
  .. #body .. "\r\nConnection: close\r\n\r\n" .. body)
conn:close()
server:close()
