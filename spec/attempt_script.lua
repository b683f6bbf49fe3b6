-- One script of calls for the on_attempt comparison: run on every carrier (spec/28 with
-- libcurl, the pump and a transport function; spec/openresty/handler.lua with nginx's
-- subrequests), it must give the same infos. Queue `faults` first, then `run(invoke)`,
-- where invoke(method, args...) makes one call on the carrier under test and returns
-- its result or raises its error.
local M = {}

--- Client options for the script: a few quick retries, and the hook.
function M.options(on_attempt)
  return { retries = 2, backoff = { base = 0.01, cap = 0.02, jitter = 0 }, on_attempt = on_attempt }
end

--- Faults for the fake server, in the order the script meets them: get_group answered
-- 503 once (then retried), the first delete_group refused with a Graph error.
M.faults = {
  { match = { method = "GET", path = "^/v[%d.]+/[^/]+$" }, count = 1, fault = { status = 503 } },
  { match = { method = "DELETE", path = "^/v[%d.]+/[^/]+$" }, count = 1,
    fault = { status = 400, graph_error = { code = 100, message = "Invalid parameter" } } },
}

function M.run(invoke)
  invoke("create", { subject = "Attempts" })
  local id = invoke("list_groups", { limit = 1 }).groups[1].id
  invoke("get_group", id, { fields = { "subject" } })
  pcall(invoke, "delete_group", id)
  invoke("delete_group", id, { retries = 0 })
end

--- An on_attempt info as plain data that two runs can compare: ids and timings as what
-- they are, not their values.
function M.plain(info)
  local err = info.error
  return {
    operation = info.operation, attempt = info.attempt, method = info.method,
    path = (info.path:gsub("^(/v[%d.]+/)[^/?]+", "%1ID")), status = info.status or "none",
    outcome = info.outcome, api_version = info.api_version or "none",
    fbtrace_id = type(info.fbtrace_id), usage = type(info.usage),
    duration = type(info.duration) == "number" and info.duration >= 0,
    error = err and { kind = err.kind, code = err.code or "none",
                      http_status = err.http_status or "none" } or "none",
  }
end

return M
