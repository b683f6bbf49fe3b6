-- The contract every store of whatsapp.groups.store keeps, as busted cases:
-- contract(name, make, advance) where make() gives a fresh store and advance(s) lets s
-- seconds pass for it (a fake clock, or a real sleep for a real server).
-- A module of the specs' own: busted's functions are not globals here.
local busted = require "busted"
local assert = require "luassert"
local describe, it, before_each = busted.describe, busted.it, busted.before_each

return function(name, make, advance)
  describe(name .. " store", function()
    local s
    before_each(function() s = make() end)

    it("gives back what was set, and nil for what was not or was deleted", function()
      s:set("a", "1", 60)
      s:set("a", "2", 60)
      assert.equal("2", s:get("a"))
      assert.is_nil(s:get("b"))
      s:delete("a")
      s:delete("never")
      assert.is_nil(s:get("a"))
    end)

    it("adds only what is absent", function()
      assert.is_true(s:add("k", "first", 60))
      assert.is_false(s:add("k", "second", 60))
      assert.equal("first", s:get("k"))
    end)

    it("keeps each entry for its TTL only", function()
      s:set("set", "v", 0.3)
      assert.is_true(s:add("added", "v", 0.3))
      s:push("list", "v", 0.3)
      s:set("long", "v", 60)
      local left = s:ttl("set")
      assert.is_true(left > 0 and left <= 0.3, tostring(left))
      assert.is_nil(s:ttl("absent"))
      advance(0.5)
      assert.is_nil(s:get("set"))
      assert.is_nil(s:ttl("set"))
      assert.is_nil(s:pop("list"))
      assert.is_true(s:add("added", "again", 60))
      assert.equal("v", s:get("long"))
    end)

    it("pops a list's items in the order pushed", function()
      for _, v in ipairs { "a", "b", "c" } do s:push("l", v, 60) end
      assert.equal("a", s:pop("l"))
      s:push("l", "d", 60)
      assert.same({ "b", "c", "d" }, { s:pop("l"), s:pop("l"), s:pop("l") })
      assert.is_nil(s:pop("l"))
      assert.is_nil(s:pop("none"))
    end)
  end)
end
