-- Graph cursor paging (reference section 0) over a list whose items have increasing positions.
-- A cursor is base64url of "<position>:<tag>", the tag a checksum of the list's scope and of the
-- reset generation: a cursor of another list, or from before a reset (expired), is refused with
-- 131059 like a corrupt one.
local b64 = require "ngx.base64"
local errors = require "fake_graph.errors"
local store = require "fake_graph.store"

local M = {}

local DEFAULT_LIMIT, MAX_LIMIT = 25, 1024

local function tag(scope)
  return ngx.crc32_long(scope .. "\0" .. store.generation())
end

local function encode(scope, position)
  return b64.encode_base64url(position .. ":" .. tag(scope))
end

local function decode(scope, cursor)
  if type(cursor) ~= "string" then return nil end
  local position, cursor_tag = (b64.decode_base64url(cursor) or ""):match("^(%d+):(%d+)$")
  if position and tonumber(cursor_tag) == tag(scope) then return tonumber(position) end
end

-- Reads limit, after and before from the query string. Returns the query { scope, limit, after?,
-- before? } (after and before as positions), or nil and the error answer.
function M.query(scope)
  local args = ngx.req.get_uri_args()
  local query = { scope = scope, limit = DEFAULT_LIMIT }
  if args.limit ~= nil then
    local limit = type(args.limit) == "string" and args.limit:match("^%d+$") and tonumber(args.limit)
    if not limit or limit < 1 or limit > MAX_LIMIT then
      return nil, errors.invalid_parameter("limit: must be an integer from 1 to " .. MAX_LIMIT)
    end
    query.limit = limit
  end
  if args.after ~= nil and args.before ~= nil then
    return nil, errors.invalid_parameter("after, before: give at most one of them")
  end
  for _, name in ipairs({ "after", "before" }) do
    if args[name] ~= nil then
      query[name] = decode(scope, args[name])
      if not query[name] then
        return nil, errors.graph(131059, "the " .. name .. " cursor is expired or corrupt; restart paging")
      end
    end
  end
  return query
end

-- Graph's paging links are full URLs: this one with the query replaced.
local function url(limit, name, cursor)
  local authority = ngx.var.http_host or (ngx.var.host .. ":" .. ngx.var.server_port)
  local path = ngx.var.request_uri:match("^[^?]*")
  return string.format("%s://%s%s?limit=%d&%s=%s", ngx.var.scheme, authority, path, limit, name, cursor)
end

-- The page of items (each with .position, increasing) that the query asks for, and its paging
-- object: cursors, plus next and previous when there are items after or before the page. An
-- empty page has no paging object, as Graph's empty edges.
function M.page(items, query)
  local first, last
  if query.before then
    last = 0
    for i, item in ipairs(items) do
      if item.position < query.before then last = i end
    end
    first = math.max(1, last - query.limit + 1)
  else
    first = #items + 1
    for i, item in ipairs(items) do
      if not query.after or item.position > query.after then first = i; break end
    end
    last = math.min(#items, first + query.limit - 1)
  end
  local page = {}
  for i = first, last do page[#page + 1] = items[i] end
  if #page == 0 then return page end

  local cursors = {
    before = encode(query.scope, items[first].position),
    after = encode(query.scope, items[last].position),
  }
  local paging = { cursors = cursors }
  if last < #items then paging.next = url(query.limit, "after", cursors.after) end
  if first > 1 then paging.previous = url(query.limit, "before", cursors.before) end
  return page, paging
end

return M
