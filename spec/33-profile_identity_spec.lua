-- The pump sets up an easy handle once per client profile and skips that work while the
-- handle serves the same profile (src/core/wa_multi.c). Which profile it last served is a
-- generation number, never reused, not an address: a profile freed and another made in
-- its memory must still get its own settings (here its timeout; its token, user agent and
-- the rest go the same way).
local helpers = require "helpers"

describe("the pump's easy handles", function()
  before_each(helpers.reset)

  it("never keep a freed client's settings for the client made after it", function()
    local host = helpers.client { user_agent = "host" }
    -- One slot: every transfer of the shared pump goes through the same easy handle.
    local pump = host:async { max_in_flight = 1 }
    local rounds = 32
    for round = 1, rounds do
      -- Odd rounds: a short timeout and a slow answer. An easy handle that kept the
      -- previous round's 5 s would wait for the answer and succeed.
      local short = round % 2 == 1
      local c = helpers.client { user_agent = "round-" .. round, timeout = short and 0.05 or 5,
                                 token = short and "not-the-token" or helpers.token }
      -- Profiles made and freed unused, a different number each round: whatever order the
      -- allocator hands freed memory back in, some rounds' profile lands where the previous
      -- round's was.
      for _ = 1, round % 4 do
        c:async({ pump = pump }):close()
        collectgarbage()
      end
      if short then
        helpers.fault { match = { method = "POST", path = "/groups$" }, count = 1,
                        fault = { delay = 0.3 } }
      end
      local a = c:async { pump = pump }
      local got
      assert.is_true(a:create({ subject = "Ops" }, function(result, err) got = { result, err } end))
      assert.is_nil(a:wait())
      a:close()
      c:close()
      collectgarbage()
      collectgarbage() -- the profile is freed
      if short then
        assert.is_nil(got[1])
        assert.equal("timeout", got[2].kind)
      else
        assert.is_string(got[1].request_id)
      end
    end
    pump:close()
    host:close()
    local seen = helpers.requests().requests
    assert.equal(rounds, #seen)
    for round = 1, rounds do
      assert.equal("round-" .. round, seen[round].user_agent)
    end
  end)
end)
