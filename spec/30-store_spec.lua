-- whatsapp.groups.store: the memory store keeps the stores' contract (spec/store_contract.lua;
-- spec/31-redis_spec.lua runs it against a real redis-server, and spec/20-openresty_spec.lua
-- runs the tracker and the pacer on a shared dict inside nginx).
local store = require "whatsapp.groups.store"
local helpers = require "helpers"
local contract = require "store_contract"

local now = 1000
contract("memory", function() return store.memory { clock = function() return now end } end,
  function(seconds) now = now + seconds end)

describe("store constructors", function()
  it("validate what they are given", function()
    assert.equal("max_keys", helpers.catch(store.memory, { max_keys = 0 }).field)
    assert.equal("clock", helpers.catch(store.memory, { clock = 1 }).field)
    assert.equal("size", helpers.catch(store.memory, { size = 1 }).field)
    assert.equal("dict", helpers.catch(store.shared, nil).field)
    assert.equal("client", helpers.catch(store.redis, "127.0.0.1").field)
    assert.equal("prefix", helpers.catch(store.redis, {}, { prefix = 1 }).field)
  end)

  it("a full memory store refuses writes, and takes them again once entries expire", function()
    local t = 0
    local s = store.memory { max_keys = 2, clock = function() return t end }
    s:set("a", "1", 10)
    s:set("b", "1", 20)
    local err = helpers.catch(s.set, s, "c", "1", 10)
    assert.equal("store", err.kind)
    assert.is_true(err.retryable)
    assert.equal("1", s:get("a"))
    s:set("a", "2", 10) -- an entry it holds may change
    t = 15
    s:set("c", "1", 10)
    assert.equal("1", s:get("c"))
  end)
end)
