-- One lock for the whole fake state, so that requests served by different workers never interleave
-- their read-modify-write of a group record (nor the webhooks they queue). It lives in its own
-- shared dict because a reset flushes the state dict, lock included, while it is held.
local locks = ngx.shared.fake_graph_locks

local M = { dict = locks }

local TTL = 5          -- seconds: a worker that died holding the lock does not block the others forever
local ATTEMPTS = 5000  -- of POLL seconds each
local POLL = 0.001

-- Runs fn(...) holding the lock and returns its (single) result; an error in fn is raised again
-- once the lock is released. Handlers never yield inside fn, so only other workers ever wait here.
function M.run(fn, ...)
  for _ = 1, ATTEMPTS do
    if locks:add("state", true, TTL) then
      local ok, result = pcall(fn, ...)
      locks:delete("state")
      if not ok then error(result, 0) end
      return result
    end
    ngx.sleep(POLL)
  end
  error("fake Graph state lock not acquired")
end

return M
