--- Carrying a client's requests inside nginx (OpenResty, ngx_lua) without blocking the
-- worker: each request becomes a subrequest (`ngx.location.capture`) to an internal
-- location that proxies it to the Graph API, so the worker serves other requests while
-- Graph answers. `groups.new` picks this transport by itself inside nginx; the location
-- block to paste is in the README and in `examples/openresty/whatsapp_graph.conf`.
-- @module whatsapp.groups.resty

local core = require "whatsapp.groups.core"

local resty = {
  --- The internal location the subrequests go to unless `nginx_location` says otherwise.
  DEFAULT_LOCATION = "/_whatsapp_graph",
  --- The longest answer a transport made without a size lets through: the client's own
  -- default `max_response_size` (4 MiB).
  DEFAULT_MAX_RESPONSE_SIZE = core.DEFAULT_MAX_RESPONSE_SIZE,
}

-- ngx.location.capture exists only in these phases; cosockets also in the second set.
local CAPTURE_PHASES = { rewrite = true, access = true, content = true }
local COSOCKET_PHASES = { timer = true, ssl_cert = true, ssl_session_fetch = true,
                          ssl_client_hello = true }

-- The location's variable that carries each request header to proxy_set_header:
-- $wa_authorization for Authorization, $wa_user_agent for User-Agent, ...
local HEADER_VARS = {}
for _, name in ipairs(core.REQUEST_HEADERS) do
  HEADER_VARS[name] = "wa_" .. name:lower():gsub("-", "_")
end

--- Waits without blocking the worker (inside nginx only).
-- @number seconds
function resty.sleep(seconds)
  return ngx.sleep(seconds)
end

--- Whether this Lua runs inside nginx (ngx_lua's `ngx` API is there).
-- @treturn boolean
function resty.inside_nginx()
  local api = rawget(_G, "ngx")
  return type(api) == "table" and type(api.get_phase) == "function"
end

-- Why the current phase cannot carry a subrequest (a validation error), or nil.
local function refusal(operation)
  local phase = resty.inside_nginx() and ngx.get_phase()
  if CAPTURE_PHASES[phase] then return nil end
  local reason
  if not phase then
    reason = "the nginx transport works only inside nginx: use transport = \"blocking\" "
      .. "or a function here"
  elseif COSOCKET_PHASES[phase] then
    reason = "nginx has no subrequests in the " .. phase .. " phase: pass a cosocket "
      .. "transport there (transport = function(request) ... end, e.g. on lua-resty-http)"
  else
    reason = "nginx cannot do non-blocking I/O in the " .. phase .. " phase: call from "
      .. "rewrite, access or content (or from a timer, with a cosocket transport)"
  end
  return core.validation_error(operation, "phase", nil, reason)
end

-- Whether an $upstream_*_time value says the last try got that far ("-" when not).
local function reached(times)
  return times ~= nil and times:match "[%d.]+%s*$" ~= nil
end

-- The subrequest's answer in the transport contract's terms. What the location's two Lua
-- hooks left in ctx tells Graph's own answers from nginx's 502 and 504.
local function outcome(location, res, ctx)
  if not ctx.whatsapp_forwarded then
    return nil, "nginx location " .. location .. " did not take the request (HTTP "
      .. res.status .. "): is its block from the README in nginx.conf?", "not_sent"
  end
  -- Cut off by limit(): the body is one byte longer than the limit, which the core
  -- refuses as too large (a protocol error), as it does libcurl's.
  if ctx.whatsapp_cut then return res.status, res.header, res.body end
  local upstream = ctx.whatsapp_upstream
  if upstream == nil then
    return nil, "nginx location " .. location .. " has no header_filter_by_lua_block "
      .. "calling record(): see the README", "failed"
  end
  if upstream.answered and not res.truncated then return res.status, res.header, res.body end
  if upstream.answered then return nil, "the Graph API's answer was cut off", "failed" end
  if not upstream.connected then
    return nil, "could not reach the Graph API (nginx answered " .. res.status
      .. "; its error log says why)", "not_sent"
  end
  if res.status == ngx.HTTP_GATEWAY_TIMEOUT then
    return nil, "timed out waiting for the Graph API (nginx's proxy_read_timeout)", "timeout"
  end
  return nil, "the connection to the Graph API failed after the request was sent (nginx "
    .. "answered " .. res.status .. ")", "failed"
end

--- A transport function that carries requests through the nginx location `location`.
-- @tparam[opt] string location an internal location (default `DEFAULT_LOCATION`)
-- @tparam[opt] number max_size the client's `max_response_size`: the location's
--   `body_filter_by_lua_block` (`limit()`) stops an answer once it is longer, while it
--   streams (default `DEFAULT_MAX_RESPONSE_SIZE`)
-- @treturn function `function(request) -> status, headers, body | nil, message, how`;
--   outside the rewrite, access and content phases it returns `nil` and a validation
--   error naming the phase
function resty.transport(location, max_size)
  location = location or resty.DEFAULT_LOCATION
  max_size = max_size or resty.DEFAULT_MAX_RESPONSE_SIZE
  return function(request)
    local refused = refusal(request.operation)
    if refused then return nil, refused end
    local ctx = { whatsapp_request = request, whatsapp_limit = max_size, whatsapp_seen = 0 }
    local res = ngx.location.capture(location, {
      method = ngx["HTTP_" .. request.method],
      -- Without a body of its own, a POST subrequest would carry the parent request's.
      body = request.body or (request.method == "POST" and "" or nil),
      ctx = ctx,
    })
    return outcome(location, res, ctx)
  end
end

--- For the location's `rewrite_by_lua_block`: fills its variables from the request the
-- subrequest carries (`$wa_scheme`, `$wa_uri`, `$wa_host`, `$wa_server_name` and one
-- per header).
function resty.forward()
  local ctx = ngx.ctx
  local request = ctx.whatsapp_request
  if request == nil then return ngx.exit(ngx.HTTP_NOT_FOUND) end
  local scheme, host, uri = request.url:match "^(%a+)://([^/]+)(.*)$"
  -- The location's proxy_pass takes its scheme from here: an https:// base_url goes
  -- over TLS whatever the location was written with, and an http:// one needs no
  -- location of its own.
  ngx.var.wa_scheme = scheme:lower()
  ngx.var.wa_uri = uri
  ngx.var.wa_host = host
  ngx.var.wa_server_name = (host:gsub(":%d+$", ""))
  for name, var in pairs(HEADER_VARS) do ngx.var[var] = request.headers[name] or "" end
  ctx.whatsapp_forwarded = true
end

--- For the location's `header_filter_by_lua_block`: notes whether the upstream was
-- connected to and whether it answered, which the parent request cannot see.
function resty.record()
  local ctx = ngx.ctx
  if ctx.whatsapp_request == nil then return end
  ctx.whatsapp_upstream = {
    connected = reached(ngx.var.upstream_connect_time),
    answered = reached(ngx.var.upstream_header_time),
  }
end

--- For the location's `body_filter_by_lua_block`: lets through at most one byte more
-- than the client's `max_response_size` and ends the body there, so that nginx never
-- holds more of an answer than that (a subrequest keeps its whole answer in memory, and
-- an endless one would grow the worker without bound). nginx reads on and drops the rest
-- until the upstream ends it: returning ngx.ERROR from here would stop that at once, but
-- ngx_lua 0.10.23 then terminates the parent request too.
function resty.limit()
  local ctx = ngx.ctx
  if ctx.whatsapp_request == nil or ctx.whatsapp_cut then return end
  local chunk = ngx.arg[1]
  local room = ctx.whatsapp_limit + 1 - ctx.whatsapp_seen
  ctx.whatsapp_seen = ctx.whatsapp_seen + #chunk
  if #chunk < room then return end
  -- Past the limit: the body ends here, and ngx_lua drops whatever comes after.
  ctx.whatsapp_cut = true
  ngx.arg[1] = chunk:sub(1, room)
  ngx.arg[2] = true
end

return resty
