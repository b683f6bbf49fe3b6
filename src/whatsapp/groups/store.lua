--- Where the webhook tracker and the pacer keep what every worker and host of a bot must
-- see: outcomes, de-duplication marks, throttling. Three stores with one interface:
--
-- - `store.memory{}`: a table in this Lua state (one process, one nginx worker);
-- - `store.shared(ngx.shared.DICT)`: every worker of one nginx;
-- - `store.redis(client)`: several hosts, through a connected Redis client you pass in
--   (Debian's lua-redis, or lua-resty-redis through the adapter in the README).
--
-- Every entry has its TTL in the store itself. A store never drops an entry to make room:
-- a full memory store or shared dict refuses the write (a `store` error), and Redis must
-- run with `maxmemory-policy noeviction` for the same guarantee.
--
-- The interface (keys and values are strings; every entry has a `ttl`, in seconds):
-- `get(key)`, `set(key, value, ttl)`, `add(key, value, ttl)` (atomic: true when the key
-- was absent and is now set, false when it was there), `delete(key)`, `ttl(key)` (seconds
-- left, nil when absent), `push(key, value, ttl)` (appends to a list that then lives
-- `ttl`), `pop(key)` (takes the list's first item, or nil). Each raises a `store` error
-- when the backend fails.
-- @module whatsapp.groups.store

local core = require "whatsapp.groups.core"
local failure = require "whatsapp.groups.failure"

local store = {}

local function fail(operation, message)
  failure.raise("store", operation, { message = message, retryable = true })
end

local function bad(operation, what, field, reason)
  error(core.validation_error(operation, what, field, reason), 0)
end

--- The clock the stores, the tracker and the pacer use unless told otherwise: `ngx.now`
-- inside nginx, LuaSocket's `gettime` where it loads, else `os.time` (whole seconds).
-- @treturn function returning seconds
function store.default_clock()
  local api = rawget(_G, "ngx")
  if type(api) == "table" and type(api.now) == "function" then return api.now end
  local ok, socket = pcall(require, "socket")
  if ok and type(socket) == "table" and type(socket.gettime) == "function" then
    return socket.gettime
  end
  return os.time
end

local function check_options(operation, options, known)
  if options == nil then return {} end
  if type(options) ~= "table" then
    bad(operation, "argument", "options", "table expected, got " .. type(options))
  end
  for key in pairs(options) do
    if not known[key] then bad(operation, "option", tostring(key), "unknown name") end
  end
  return options
end

-- Memory -----------------------------------------------------------------------------

local Memory = { __name = "whatsapp.groups.store.Memory" }
Memory.__index = Memory

-- The live entry of key, or nil; an expired one is dropped on the way.
local function live(self, key)
  local entry = self.entries[key]
  if entry == nil then return nil end
  if entry.expires <= self.clock() then
    self.entries[key] = nil
    self.count = self.count - 1
    return nil
  end
  return entry
end

-- Drops every expired entry: run only when the store is full, so it costs nothing before.
local function purge(self)
  for key in pairs(self.entries) do live(self, key) end
end

local function expiry(self, ttl)
  return self.clock() + ttl
end

local function put(self, key, entry)
  if live(self, key) == nil then
    if self.count >= self.max_keys then purge(self) end
    if self.count >= self.max_keys then
      fail("store.memory", "the memory store is full (max_keys = " .. self.max_keys .. ")")
    end
    self.count = self.count + 1
  end
  self.entries[key] = entry
end

function Memory:get(key)
  local entry = live(self, key)
  return entry and type(entry.value) == "string" and entry.value or nil
end

function Memory:set(key, value, ttl)
  put(self, key, { value = value, expires = expiry(self, ttl) })
end

function Memory:add(key, value, ttl)
  if live(self, key) ~= nil then return false end
  self:set(key, value, ttl)
  return true
end

function Memory:delete(key)
  if live(self, key) ~= nil then
    self.entries[key] = nil
    self.count = self.count - 1
  end
end

function Memory:ttl(key)
  local entry = live(self, key)
  return entry and entry.expires - self.clock()
end

function Memory:push(key, value, ttl)
  local entry = live(self, key)
  if entry == nil or type(entry.value) ~= "table" then
    entry = { value = { first = 1, last = 0 }, expires = expiry(self, ttl) }
    put(self, key, entry)
  end
  local list = entry.value
  list.last = list.last + 1
  list[list.last] = value
  entry.expires = expiry(self, ttl)
end

function Memory:pop(key)
  local entry = live(self, key)
  local list = entry and entry.value
  if type(list) ~= "table" or list.first > list.last then return nil end
  local value = list[list.first]
  list[list.first] = nil
  list.first = list.first + 1
  return value
end

--- A store in this Lua state's memory: one process, or one nginx worker.
-- @tparam[opt] table options `max_keys` (default 100000: past it, writes fail rather
--   than drop entries), `clock` (default `store.default_clock()`)
function store.memory(options)
  local op = "store.memory"
  options = check_options(op, options, { max_keys = true, clock = true })
  local max, clock = options.max_keys or 100000, options.clock or store.default_clock()
  if type(max) ~= "number" or max < 1 or max ~= math.floor(max) then
    bad(op, "option", "max_keys", "must be a whole number above 0")
  end
  if type(clock) ~= "function" then bad(op, "option", "clock", "function expected, got " .. type(clock)) end
  return setmetatable({ entries = {}, count = 0, max_keys = max, clock = clock }, Memory)
end

-- ngx.shared.DICT --------------------------------------------------------------------

local Shared = { __name = "whatsapp.groups.store.Shared" }
Shared.__index = Shared

-- A dict's failure ("no memory", "value not a list", ...) as a store error.
local function checked(ok, err)
  if not ok then fail("store.shared", "ngx.shared dict: " .. tostring(err)) end
  return ok
end

function Shared:get(key)
  local value = self.dict:get(key)
  return type(value) == "string" and value or nil
end

-- safe_set and safe_add fail when the dict is full instead of evicting other entries.
function Shared:set(key, value, ttl)
  checked(self.dict:safe_set(key, value, ttl))
end

function Shared:add(key, value, ttl)
  local ok, err = self.dict:safe_add(key, value, ttl)
  if not ok and err == "exists" then return false end
  return checked(ok, err) and true
end

function Shared:delete(key)
  self.dict:delete(key)
end

-- The dict reports an entry past its time, not yet purged, with 0 or less left.
function Shared:ttl(key)
  local left = self.dict:ttl(key)
  if type(left) ~= "number" or left <= 0 then return nil end
  return left
end

function Shared:push(key, value, ttl)
  checked(self.dict:rpush(key, value))
  checked(self.dict:expire(key, ttl))
end

function Shared:pop(key)
  local value = self.dict:lpop(key)
  return type(value) == "string" and value or nil
end

--- A store in an `ngx.shared.DICT`: every worker of one nginx (`lua_shared_dict` in
-- nginx.conf; size it for your entries, since a full dict refuses writes).
-- @param dict e.g. `ngx.shared.whatsapp`
function store.shared(dict)
  if type(dict) ~= "table" and type(dict) ~= "userdata" then
    bad("store.shared", "argument", "dict", "an ngx.shared dict expected, got " .. type(dict))
  end
  return setmetatable({ dict = dict }, Shared)
end

-- Redis ------------------------------------------------------------------------------

local Redis = { __name = "whatsapp.groups.store.Redis" }
Redis.__index = Redis

-- One command on the client: lua-redis raises its errors, lua-resty-redis returns nil
-- (or false) and a message; both become a store error. Replies pass as they came.
local function command(self, name, ...)
  local ok, reply, err = pcall(self.client[name], self.client, ...)
  if not ok then fail("store.redis", "redis " .. name .. ": " .. tostring(reply)) end
  if (reply == nil or reply == false) and err ~= nil then
    fail("store.redis", "redis " .. name .. ": " .. tostring(err))
  end
  return reply
end

local function milliseconds(ttl)
  return math.max(1, math.ceil(ttl * 1000))
end

-- A string reply, or nil: lua-resty-redis gives ngx.null for a missing key, and anything
-- else a server sends is not ours to trust.
local function text(reply)
  return type(reply) == "string" and reply or nil
end

function Redis:get(key)
  return text(command(self, "get", self.prefix .. key))
end

function Redis:set(key, value, ttl)
  command(self, "set", self.prefix .. key, value, "PX", milliseconds(ttl))
end

-- SET NX: lua-redis answers true, lua-resty-redis "OK"; nil or ngx.null when it existed.
function Redis:add(key, value, ttl)
  local reply = command(self, "set", self.prefix .. key, value, "PX", milliseconds(ttl), "NX")
  return reply == true or reply == "OK"
end

function Redis:delete(key)
  command(self, "del", self.prefix .. key)
end

-- PTTL: -2 when the key is absent, -1 when it has no TTL (not one of ours).
function Redis:ttl(key)
  local left = tonumber(command(self, "pttl", self.prefix .. key))
  if left == nil or left == -2 then return nil end
  if left == -1 then return math.huge end
  return left / 1000
end

function Redis:push(key, value, ttl)
  command(self, "rpush", self.prefix .. key, value)
  command(self, "pexpire", self.prefix .. key, milliseconds(ttl))
end

function Redis:pop(key)
  return text(command(self, "lpop", self.prefix .. key))
end

--- A store in Redis: several hosts. `client` is a connected client with lua-redis's (or
-- lua-resty-redis's) methods `get`, `set`, `del`, `pttl`, `rpush`, `pexpire`, `lpop`.
-- @param client e.g. `require("redis").connect("127.0.0.1", 6379)`
-- @tparam[opt] table options `prefix` (default `"whatsapp:"`): put before every key
function store.redis(client, options)
  local op = "store.redis"
  if type(client) ~= "table" and type(client) ~= "userdata" then
    bad(op, "argument", "client", "a Redis client expected, got " .. type(client))
  end
  options = check_options(op, options, { prefix = true })
  local prefix = options.prefix or "whatsapp:"
  if type(prefix) ~= "string" then bad(op, "option", "prefix", "string expected, got " .. type(prefix)) end
  return setmetatable({ client = client, prefix = prefix }, Redis)
end

return store
