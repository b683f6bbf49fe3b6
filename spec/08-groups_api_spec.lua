-- The whole Groups API against the fake Graph server: each method's success, the shape of
-- its result, and the Graph errors it maps.
local helpers = require "helpers"
local unpack = table.unpack or unpack -- luacheck: ignore 143

local function fault(method, path, f)
  helpers.fault { match = { method = method, path = path }, fault = f }
end

local client

describe("the Groups API", function()
  setup(function() client = helpers.client() end)
  teardown(function() client:close() end)
  before_each(helpers.reset)

  describe("list_groups and each_group", function()
    it("pages through the groups with cursors", function()
      for i = 1, 5 do client:create { subject = "Group " .. i } end
      local first = client:list_groups { limit = 2 }
      assert.equal(2, #first.groups)
      assert.equal("Group 1", first.groups[1].subject)
      assert.is_number(first.groups[1].created_at)
      assert.is_true(first.has_next)
      local second = client:list_groups { limit = 2, after = first.after }
      assert.equal("Group 3", second.groups[1].subject)
      local last = client:list_groups { limit = 2, after = second.after }
      assert.equal(1, #last.groups)
      assert.is_false(last.has_next)
      local seen = helpers.requests().requests
      assert.matches("limit=2&after=", seen[#seen].query, 1, true)
    end)

    it("iterates over every page", function()
      for i = 1, 7 do client:create { subject = "G" .. i } end
      local before = helpers.request_count()
      local subjects = {}
      for group in client:each_group { limit = 3 } do subjects[#subjects + 1] = group.subject end
      assert.same({ "G1", "G2", "G3", "G4", "G5", "G6", "G7" }, subjects)
      assert.equal(3, helpers.request_count() - before)
    end)

    it("accepts the limits 1 and 1024", function()
      client:create { subject = "Only" }
      assert.equal(1, #client:list_groups({ limit = 1 }).groups)
      assert.equal(1, #client:list_groups({ limit = 1024 }).groups)
    end)

    it("iterates over nothing when there are no groups", function()
      for _ in client:each_group() do error("no group expected") end
    end)

    it("maps an expired cursor to 131059", function()
      local err = helpers.catch(client.list_groups, client, { after = "bm90LWEtY3Vyc29y" })
      assert.equal("api", err.kind)
      assert.equal(131059, err.code)
      assert.matches("hint: the paging cursor expired or is corrupt: start again", tostring(err), 1, true)
    end)

    it("raises the error object when a page fails mid-way", function()
      for i = 1, 3 do client:create { subject = "G" .. i } end
      local iterate = client:each_group { limit = 1 }
      assert.is_table(iterate())
      fault("GET", "/groups$", { status = 400, graph_error = { code = 131059, message = "(#131059) Invalid cursor" } })
      local err = helpers.catch(iterate)
      assert.equal(131059, err.code)
      assert.equal("list_groups", err.operation)
    end)
  end)

  describe("get_group", function()
    it("asks for every documented field by default", function()
      local id = helpers.create_group(client, { subject = "Ops", description = "Night",
                                                join_approval_mode = "approval_required" })
      local g = client:get_group(id)
      assert.equal(id, g.id)
      assert.equal("Ops", g.subject)
      assert.equal("Night", g.description)
      assert.equal("approval_required", g.join_approval_mode)
      assert.is_false(g.suspended)
      assert.is_number(g.creation_timestamp)
      assert.equal(0, g.total_participant_count)
      local seen = helpers.requests().requests
      assert.matches("fields=subject%2Cdescription%2Cjoin_approval_mode%2Csuspended", seen[#seen].query, 1, true)
    end)

    it("asks for the fields named", function()
      local id = helpers.create_group(client)
      local g = client:get_group(id, { fields = { "subject" } })
      assert.equal("Ops", g.subject)
      assert.is_nil(g.join_approval_mode)
    end)

    it("maps an unknown group to 131041", function()
      local err = helpers.catch(client.get_group, client, "Tm9TdWNoR3JvdXA")
      assert.equal(131041, err.code)
      assert.equal(400, err.http_status)
      assert.matches("/Tm9TdWNoR3JvdXA%?fields=", err.path)
    end)

    it("percent-encodes what an id may hold", function()
      local err = helpers.catch(client.get_group, client, "a+b=")
      assert.equal(131041, err.code)
      assert.matches("/a%%2Bb%%3D%?", err.path)
    end)
  end)

  describe("update_group", function()
    it("changes the subject (trimmed) and the description", function()
      local id = helpers.create_group(client)
      local r = client:update_group(id, { subject = "  New subject ", description = "New text" })
      assert.is_true(r.success)
      local g = client:get_group(id, { fields = { "subject", "description" } })
      assert.equal("New subject", g.subject)
      assert.equal("New text", g.description)
    end)

    it("uploads a picture given as bytes, as multipart", function()
      local id = helpers.create_group(client)
      local r = client:update_group(id, { picture = helpers.jpeg(192, 192), subject = "With picture" })
      assert.is_true(r.success)
      assert.equal("With picture", client:get_group(id, { fields = { "subject" } }).subject)
    end)

    it("accepts a subject of 128 characters and a picture of exactly 5 MB", function()
      local id = helpers.create_group(client)
      assert.is_true(client:update_group(id, { subject = string.rep("\240\159\152\128", 128) }).success)
      local picture = helpers.jpeg(1024, 1024, 5 * 1024 * 1024)
      assert.is_true(#picture <= 5 * 1024 * 1024)
      assert.is_true(client:update_group(id, { picture = picture }).success)
    end)

    it("uploads a picture given as a path", function()
      local path = os.tmpname()
      local f = assert(io.open(path, "wb"))
      f:write(helpers.jpeg(640, 640, 300000))
      f:close()
      local id = helpers.create_group(client)
      local r = client:update_group(id, { picture = path })
      os.remove(path)
      assert.is_true(r.success)
    end)

    it("maps Graph's picture codes", function()
      local id = helpers.create_group(client)
      fault("POST", "", { status = 400, graph_error = { code = 131209, message = "(#131209) aspect ratio" } })
      local err = helpers.catch(client.update_group, client, id, { picture = helpers.jpeg(500, 500) })
      assert.equal(131209, err.code)
    end)
  end)

  describe("delete_group", function()
    it("deletes, and the group is gone", function()
      local id = helpers.create_group(client)
      local r = client:delete_group(id)
      assert.is_true(r.success)
      assert.equal(131041, helpers.catch(client.get_group, client, id).code)
    end)

    it("reads success sent as the string \"true\"", function()
      local id = helpers.create_group(client)
      fault("DELETE", "", { status = 200, body = '{"success":"true"}' })
      assert.is_true(client:delete_group(id).success)
    end)
  end)

  describe("invite links", function()
    it("gets, resets, deletes", function()
      local id = helpers.create_group(client)
      local link = client:invite_link(id).invite_link
      assert.matches("^https://chat%.whatsapp%.com/", link)
      local new = client:reset_invite_link(id).invite_link
      assert.matches("^https://chat%.whatsapp%.com/", new)
      assert.not_equal(link, new)
      assert.is_true(client:delete_invite_link(id).success)
      assert.equal("api", helpers.catch(client.invite_link, client, id).kind)
    end)
  end)

  describe("participants", function()
    it("removes participants by phone number and WhatsApp id", function()
      local id = helpers.create_group(client)
      helpers.join(id, "16505551234")
      helpers.join(id, "16505555678")
      local r = client:remove_participants(id, { "+16505551234", "16505555678" })
      assert.is_true(r.success)
      assert.is_nil(r.partial)
      assert.equal(0, client:get_group(id).total_participant_count)
    end)

    it("removes eight at once, including by business-scoped user id", function()
      local id = helpers.create_group(client)
      local users = {}
      for i = 1, 7 do
        helpers.join(id, "1650555200" .. i)
        users[i] = "+1650555200" .. i
      end
      helpers.join(id, "16505552008")
      local bsuid
      for _, g in ipairs(helpers.groups()) do
        if g.id == id then bsuid = g.participants[8].user_id end
      end
      users[8] = bsuid
      assert.is_true(client:remove_participants(id, users).success)
      assert.equal(0, client:get_group(id).total_participant_count)
    end)

    it("maps one person named twice in two forms to 131202", function()
      local id = helpers.create_group(client)
      helpers.join(id, "16505551234")
      local err = helpers.catch(client.remove_participants, client, id, { "+16505551234", "16505551234" })
      assert.equal(131202, err.code)
    end)

    it("maps a participant who is not in the group to 131212", function()
      local id = helpers.create_group(client)
      local err = helpers.catch(client.remove_participants, client, id, { "+16505550000" })
      assert.equal(131212, err.code)
    end)

    it("returns a partial success (206, 131201) as a result", function()
      local id = helpers.create_group(client)
      helpers.join(id, "16505551234")
      local r = client:remove_participants(id, { "+16505551234", "+16505550000" })
      assert.is_false(r.success)
      assert.is_true(r.partial)
      assert.equal(131201, r.errors[1].code)
      assert.equal(206, helpers.requests().requests[#helpers.requests().requests].status)
    end)
  end)

  describe("join requests", function()
    local id
    before_each(function()
      id = helpers.create_group(client, { subject = "Ops", join_approval_mode = "approval_required" })
      for i = 1, 3 do helpers.join(id, "1650555000" .. i) end
    end)

    it("lists them, and iterates over every page", function()
      local page = client:join_requests(id, { limit = 2 })
      assert.equal(2, #page.join_requests)
      assert.is_string(page.join_requests[1].join_request_id)
      assert.is_number(page.join_requests[1].creation_timestamp)
      local all = {}
      for j in client:each_join_request(id, { limit = 2 }) do all[#all + 1] = j.wa_id end
      assert.same({ "16505550001", "16505550002", "16505550003" }, all)
    end)

    it("approves, returning per-item failures in the result", function()
      local first = client:join_requests(id).join_requests[1].join_request_id
      local r = client:approve_join_requests(id, { first, "Tm9TdWNoUmVxdWVzdA" })
      assert.same({ first }, r.approved_join_requests)
      assert.equal(1, #r.failed_join_requests)
      assert.equal(131213, r.failed_join_requests[1].errors[1].code)
      assert.is_false(r.success)
      assert.equal(1, client:get_group(id).total_participant_count)
    end)

    it("rejects", function()
      local all = client:join_requests(id).join_requests
      local r = client:reject_join_requests(id, { all[1].join_request_id, all[2].join_request_id })
      assert.is_true(r.success)
      assert.equal(2, #r.rejected_join_requests)
      assert.equal(1, #client:join_requests(id).join_requests)
    end)

    it("maps approving into a full group to 131204", function()
      local first = client:join_requests(id).join_requests[1].join_request_id
      for i = 1, 8 do helpers.join(id, "1650555300" .. i) end
      local others = {}
      for j in client:each_join_request(id) do
        if j.join_request_id ~= first then others[#others + 1] = j.join_request_id end
      end
      assert.is_true(client:approve_join_requests(id, { unpack(others, 1, 8) }).success)
      local err = helpers.catch(client.approve_join_requests, client, id, { first })
      assert.equal(131204, err.code)
    end)

    it("maps a call where no request exists to 131213", function()
      local err = helpers.catch(client.approve_join_requests, client, id, { "Tm9TdWNoUmVxdWVzdA" })
      assert.equal(131213, err.code)
    end)
  end)

  describe("sending and pinning", function()
    local id
    before_each(function()
      id = helpers.create_group(client)
    end)

    it("refuses to message a group nobody joined (131020)", function()
      local err = helpers.catch(client.send_text, client, id, "hello")
      assert.equal(131020, err.code)
      assert.equal("rejected", err.outcome)
    end)

    it("sends text, media and templates", function()
      helpers.join(id, "16505551234")
      local r = client:send_text(id, "hello group", { preview_url = true })
      assert.matches("^wamid%.", r.message_id)
      assert.equal(id, r.contacts[1].input)
      r = client:send(id, { type = "image", image = { link = "https://example.test/a.jpg", caption = "A" } })
      assert.matches("^wamid%.", r.message_id)
      r = client:send(id, { type = "template", template = { name = "hello_world", language = { code = "en_US" } } })
      assert.matches("^wamid%.", r.message_id)
    end)

    it("pins for 1 and for 30 days, and unpins", function()
      helpers.join(id, "16505551234")
      local sent = client:send_text(id, "pin me").message_id
      local other = client:send_text(id, "and me").message_id
      assert.matches("^wamid%.", client:pin(id, sent, 1).message_id)
      assert.matches("^wamid%.", client:pin(id, other, 30).message_id)
      assert.matches("^wamid%.", client:unpin(id, sent).message_id)
    end)

    it("sends media by uploaded id, and documents with a file name", function()
      helpers.join(id, "16505551234")
      assert.is_string(client:send(id, { type = "video", video = { id = "1166846181421424" } }).message_id)
      assert.is_string(client:send(id, { type = "document",
        document = { link = "https://example.test/a.pdf", filename = "a.pdf" } }).message_id)
    end)

    it("maps writes to a suspended group to 131207 (HTTP 403)", function()
      helpers.join(id, "16505551234")
      helpers.suspend(id, true)
      local err = helpers.catch(client.send_text, client, id, "hello")
      assert.equal(131207, err.code)
      assert.equal(403, err.http_status)
      assert.is_true(client:get_group(id).suspended)
    end)
  end)

  describe("module level and the safe twin", function()
    it("offers every method", function()
      local groups = require "whatsapp.groups"
      local safe = require "whatsapp.groups.safe"
      for _, name in ipairs(groups.METHODS) do
        assert.is_function(groups[name], name)
        assert.is_function(safe[name], name)
        assert.is_function(client[name], name)
      end
    end)

    it("returns nil, err from a safe client's reshaped methods", function()
      local safe = require "whatsapp.groups.safe"
      local c = assert(safe.new { token = helpers.token, phone_number_id = helpers.phone_number_id,
                                  base_url = helpers.base_url })
      local r, err = c:get_group("Tm9TdWNoR3JvdXA")
      assert.is_nil(r)
      assert.equal(131041, err.code)
      r, err = c:remove_participants("Tm9TdWNoR3JvdXA", { "bad" })
      assert.is_nil(r)
      assert.equal("participants", err.field)
      r, err = c:send_text("Tm9TdWNoR3JvdXA", "hi", { bold = true })
      assert.is_nil(r)
      assert.equal("bold", err.field)
      c:close()
    end)
  end)
end)
