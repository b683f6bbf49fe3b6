-- The examples run as their headers say, against the fake Graph server.
local helpers = require "helpers"

describe("examples", function()
  before_each(helpers.reset)

  it("create_group.lua prints the request_id", function()
    local status, out = helpers.run_example "create_group"
    assert.equal(0, status, out)
    assert.matches("request_id: %S+", out)
    assert.equal(1, #helpers.groups())
  end)

  it("manage_group.lua creates, reads, renames and rotates the link", function()
    local status, out = helpers.run_example("manage_group", { "Night shift" })
    assert.equal(0, status, out)
    assert.matches('"Night shift", 0 participant%(s%), approval: auto_approve', out)
    assert.matches("invite link: https://chat%.whatsapp%.com/%S+\nrotated to:  https://chat%.whatsapp%.com/", out)
    assert.equal("Night shift (managed)", helpers.groups()[1].subject)
  end)

  it("page_groups.lua lists every group", function()
    local client = helpers.client()
    for i = 1, 3 do client:create { subject = "Paged " .. i } end
    client:close()
    local status, out = helpers.run_example "page_groups"
    assert.equal(0, status, out)
    assert.matches("Paged 1.*Paged 2.*Paged 3.*3 group%(s%)", out)
  end)

  it("approve_join_requests.lua approves every pending request", function()
    local client = helpers.client()
    local id = helpers.create_group(client, { subject = "Ops", join_approval_mode = "approval_required" })
    client:close()
    for i = 1, 3 do helpers.join(id, "1650555100" .. i) end
    local status, out = helpers.run_example("approve_join_requests", { id })
    assert.equal(0, status, out)
    assert.matches("approved 3 of 3 join request%(s%)", out)
  end)

  it("group_flow.lua runs the life cycle on verified webhooks", function()
    local status, out = helpers.run_example "group_flow"
    assert.equal(0, status, out)
    assert.matches("created group %S+\ninvite link: https://chat%.whatsapp%.com/%S+\n", out)
    assert.matches("join request %S+ from 16505551234\nparticipant joined: 16505551234\n", out)
    assert.matches("message wamid%.%S+ sent", out)
  end)
end)
