--- The handler of bench/nginx/nginx.conf.in: one create per request, through a client
-- with the transport named in ?transport= (nginx: subrequests, never blocking the worker;
-- blocking: libcurl, which stalls the worker for the whole call). One client per worker
-- and transport, made on first use. Answers the request_id, or 500 and the error.
-- luacheck: globals ngx (ngx.status is written)
local groups = require "whatsapp.groups"

local app = {}
local clients = {}

local function client(transport, base_url, ca_file)
  local c = clients[transport]
  if c == nil then
    c = groups.new { token = "test-token", phone_number_id = "106540352242922",
                     base_url = base_url, ca_file = ca_file, transport = transport,
                     retries = 0 }
    clients[transport] = c
  end
  return c
end

function app.create(base_url, ca_file)
  local ok, result = pcall(function()
    return client(ngx.var.arg_transport, base_url, ca_file):create {
      subject = "Bench group", description = "created by bench" }
  end)
  if not ok then
    ngx.status = 500
    ngx.say(tostring(result))
    return ngx.exit(500)
  end
  ngx.say(result.request_id)
end

return app
