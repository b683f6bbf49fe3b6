-- whatsapp.groups.webhook.parse: Meta's samples (reference sections 2.4, 3, 4, 6) and
-- the spelling and type variants, into flat events.
local webhook = require "whatsapp.groups.webhook"
local helpers = require "helpers"

local function parse(name)
  return webhook.parse(helpers.fixture(name))
end

local function one(name)
  local events = parse(name)
  assert.equal(1, #events)
  return events[1]
end

local G = "Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD"
local G2 = "Y2FwaV9ncm91cDoxODA1NTU1MDE3MjoxMjAzNjMyMjI3NzE5NjMwNjcZD"
local WABA, PNID = "102290129340398", "106540352242922"

-- Whole numbers must come out as integers on 5.3+ (math.type), plain numbers before.
local function assert_integer(expected, value)
  assert.equal("number", type(value))
  assert.equal(expected, value)
  if math.type then assert.equal("integer", math.type(value)) end
end

local function assert_envelope(event, field, type_)
  assert.equal(field, event.field)
  assert.equal(type_, event.type)
  assert.equal(WABA, event.waba_id)
  assert.equal(PNID, event.phone_number_id)
  assert.equal("15550783881", event.display_phone_number)
end

describe("webhook.parse: group_lifecycle_update", function()
  it("reads a successful group_create", function()
    local e = one "group_create_success.json"
    assert_envelope(e, "group_lifecycle_update", "group_create")
    assert.equal(G, e.group_id)
    assert_integer(1750269342, e.timestamp)
    assert.equal("6a5e1b2c3d4f", e.request_id)
    assert.equal("New Purchase Inquiry", e.subject)
    assert.equal("https://chat.whatsapp.com/AbCdEfGhIjK", e.invite_link)
    assert.equal("auto_approve", e.join_approval_mode)
    assert.is_true(e.ok)
    assert.is_nil(e.errors)
  end)

  it("reads a failed group_create, quoted code as a number, empty group_id as nil", function()
    local e = one "group_create_failure.json"
    assert_envelope(e, "group_lifecycle_update", "group_create")
    assert.is_nil(e.group_id)
    assert.equal("7b6f2c3d4e5a", e.request_id)
    assert.equal("Questions about your order", e.description)
    assert.is_false(e.ok)
    assert.equal(1, #e.errors)
    assert_integer(131211, e.errors[1].code)
    assert.equal("Group create limit reached", e.errors[1].title)
    assert.equal("This phone number has reached the maximum number of groups.",
      e.errors[1].error_data.details)
  end)

  it("reads a group_delete", function()
    local e = one "group_delete.json"
    assert_envelope(e, "group_lifecycle_update", "group_delete")
    assert.equal(G, e.group_id)
    assert.equal("8c7a3d4e5f6b", e.request_id)
    assert_integer(1750269400, e.timestamp)
    assert.is_true(e.ok)
  end)
end)

describe("webhook.parse: group_participants_update", function()
  it("reads a join through the invite link", function()
    local e = one "participants_add.json"
    assert_envelope(e, "group_participants_update", "group_participants_add")
    assert.equal("invite_link", e.reason)
    assert.same({ { wa_id = "16505551234" } }, e.added_participants)
    assert.is_nil(e.request_id)
    assert.is_true(e.ok)
  end)

  it("reads join requests created and revoked", function()
    local e = one "join_request_created.json"
    assert_envelope(e, "group_participants_update", "group_join_request_created")
    assert.equal("MTY0NjcwNDM1OTU6MTIwMzYzNDA0Njk0MjMzODIw", e.join_request_id)
    assert.equal("16505551234", e.wa_id)
    assert.equal("invite_link", e.reason)
    e = one "join_request_revoked.json"
    assert_envelope(e, "group_participants_update", "group_join_request_revoked")
    assert.equal("MTY0NjcwNDM1OTU6MTIwMzYzNDA0Njk0MjMzODIw", e.join_request_id)
    assert.equal("user_revoked", e.reason)
  end)

  it("reads a business removal with failed participants", function()
    local e = one "participants_remove_business.json"
    assert_envelope(e, "group_participants_update", "group_participants_remove")
    assert.equal("9d8b4e5f6a7c", e.request_id)
    assert.equal("business", e.initiated_by)
    assert.same({ { input = "+16505551234" } }, e.removed_participants)
    assert.equal("+16505555678", e.failed_participants[1].input)
    assert_integer(131212, e.failed_participants[1].errors[1].code)
    assert_integer(131201, e.errors[1].code)
    assert.equal("Not All Participants Remove Succeeded", e.errors[1].title)
    assert.is_false(e.ok)
  end)

  it("reads a participant leaving", function()
    local e = one "participants_remove_participant.json"
    assert_envelope(e, "group_participants_update", "group_participants_remove")
    assert.equal("participant", e.initiated_by)
    assert.same({ { wa_id = "16505551234" } }, e.removed_participants)
    assert.is_nil(e.request_id)
    assert.is_true(e.ok)
  end)
end)

describe("webhook.parse: group_settings_update", function()
  it("keeps the three outcomes", function()
    local e = one "settings_update.json"
    assert_envelope(e, "group_settings_update", "group_settings_update")
    assert.equal("ae9c5f6a7b8d", e.request_id)
    assert.same({ mime_type = "image/jpeg", sha256 = "SfInY0gGKTsJlUWbwxC1k+FAD0FZHv",
                  update_successful = true }, e.profile_picture)
    assert.same({ text = "New subject", update_successful = true }, e.group_subject)
    assert.equal("New description", e.group_description.text)
    assert.is_false(e.group_description.update_successful)
    assert_integer(131009, e.group_description.errors[1].code)
    assert_integer(131201, e.errors[1].code)
    assert.is_false(e.ok)
  end)

  it("is ok when every setting succeeded, with a number timestamp", function()
    local e = one "settings_update_all_ok.json"
    assert_integer(1750270100, e.timestamp)
    assert.is_true(e.ok)
  end)

  it("is not ok when a setting failed without top-level errors", function()
    local events = webhook.parse([[{"object":"whatsapp_business_account","entry":[{"id":"1",
      "changes":[{"field":"group_settings_update","value":{"groups":[{"timestamp":"1",
      "group_id":"g","type":"group_settings_update","request_id":"r",
      "group_subject":{"text":"x","update_successful":false}}]}}]}]}]])
    assert.is_false(events[1].ok)
    assert.is_nil(events[1].phone_number_id)
  end)
end)

describe("webhook.parse: group_status_update", function()
  it("reads a suspension and its end", function()
    local e = one "suspend.json"
    assert_envelope(e, "group_status_update", "group_suspend")
    assert.equal(G, e.group_id)
    assert_integer(1750270200, e.timestamp)
    e = one "suspend_cleared.json"
    assert_envelope(e, "group_status_update", "group_suspend_cleared")
    assert.equal(G, e.group_id)
  end)
end)

describe("webhook.parse: messages field", function()
  it("reads group statuses in both participant spellings, skipping 1:1 statuses", function()
    local events = parse "statuses_delivered.json"
    assert.equal(2, #events)
    for i, participant in ipairs { "16505551234", "16505555678" } do
      local e = events[i]
      assert_envelope(e, "messages", "status")
      assert.equal(G, e.group_id)
      assert.equal("delivered", e.status)
      assert.equal("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NzY4QTJCMzYzRUNFNzY0NEMA", e.message_id)
      assert.equal(participant, e.recipient_participant_id)
      assert.equal("group", e.recipient_type)
      assert.equal("group_utility", e.pricing.category)
      assert.is_true(e.ok)
    end
    assert.equal("16505555678", events[2].participant_recipient_id)
    assert_integer(1750263774, events[2].timestamp)
  end)

  it("reads sent and failed group statuses", function()
    local events = parse "statuses_sent_failed.json"
    assert.equal(2, #events)
    assert.equal("sent", events[1].status)
    assert_integer(1750263770, events[1].timestamp)
    assert.is_nil(events[1].recipient_participant_id)
    assert.is_true(events[1].ok)
    assert.equal("failed", events[2].status)
    assert.equal("wamid.failed", events[2].message_id)
    assert_integer(131020, events[2].errors[1].code)
    assert.is_false(events[2].ok)
  end)

  it("reads an incoming group message with its sender", function()
    local e = one "message_text.json"
    assert_envelope(e, "messages", "message")
    assert.equal("text", e.message_type)
    assert.equal(G, e.group_id)
    assert.equal("16505551234", e.from)
    assert.equal("Hello, group!", e.text.body)
    assert.equal("wamid.HBgLMTY1MDUwNzY1MjAVAgASGBQzQUZCMzk0RTc3QTdBQzY4MTAxNAA=", e.message_id)
    assert.equal("Sheena Nelson", e.contact.profile.name)
    assert_integer(1750263800, e.timestamp)
    assert.is_true(e.ok)
  end)

  it("reads an unsupported group message and skips the 1:1 one", function()
    local e = one "message_unsupported.json"
    assert_envelope(e, "messages", "message")
    assert.equal("unsupported", e.message_type)
    assert_integer(130501, e.errors[1].code)
    assert.equal("Unsupported message type", e.errors[1].title)
    assert.is_false(e.ok)
  end)
end)

describe("webhook.parse: envelopes and variants", function()
  it("flattens several entries, changes and groups in order", function()
    local events = parse "multi.json"
    local got = {}
    for i, e in ipairs(events) do
      got[i] = table.concat({ e.waba_id, e.phone_number_id, e.field, e.type, e.group_id,
                              e.request_id or "-" }, " ")
    end
    assert.same({
      "102290129340398 106540352242922 group_lifecycle_update group_create " .. G .. " req-1",
      "102290129340398 106540352242922 group_lifecycle_update group_create " .. G2 .. " req-2",
      "102290129340398 106540352242922 group_participants_update group_participants_add " .. G .. " -",
      "203301230451509 207651234567890 group_status_update group_suspend " .. G2 .. " -",
      "203301230451509 207651234567890 group_status_update group_suspend_cleared " .. G2 .. " -",
      "203301230451509 207651234567890 group_lifecycle_update group_delete " .. G2 .. " req-3",
    }, got)
    for i, t in ipairs { 1750270500, 1750270501, 1750270502, 1750270503, 1750270504, 1750270505 } do
      assert_integer(t, events[i].timestamp)
    end
  end)

  it("reads the spec's singular field and event names, keeping unknown fields", function()
    local events = parse "spec_variants.json"
    assert.equal(2, #events)
    assert_envelope(events[1], "group_participants_update", "group_participants_add")
    assert_envelope(events[2], "group_participants_update", "group_participants_remove")
    assert_integer(1750270400, events[1].timestamp)
    assert.equal("c01e7b8c9daf", events[1].request_id)
    assert.same({ nested = { 1, 2 } }, events[1].future_field)
    assert.same({ { input = "16505551234", wa_id = "16505551234" } }, events[2].removed_participants)
  end)

  it("accepts string and number timestamps and codes alike", function()
    local function body(ts, code)
      return string.format([[{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
        {"field":"group_lifecycle_update","value":{"groups":[{"timestamp":%s,"group_id":"g",
        "type":"group_delete","request_id":"r","errors":[{"code":%s,"title":"t"}]}]}}]}]}]], ts, code)
    end
    for _, case in ipairs {
      { '"1750269342"', '"131207"' }, { "1750269342", "131207" }, { "1750269342.0", '"131207"' },
    } do
      local e = webhook.parse(body(case[1], case[2]))[1]
      assert_integer(1750269342, e.timestamp)
      assert_integer(131207, e.errors[1].code)
      assert.is_false(e.ok)
    end
    local e = webhook.parse(body('"soon"', '"E_WEIRD"'))[1]
    assert.is_nil(e.timestamp)
    assert.equal("E_WEIRD", e.errors[1].code)
  end)

  it("keeps an unknown event type and field as they came", function()
    local events = webhook.parse([[{"object":"whatsapp_business_account","entry":[{"id":"1",
      "changes":[{"field":"group_future_update","value":{"groups":[{"timestamp":"5",
      "group_id":"g","type":"group_future_thing","shiny":true}]}},
      {"field":"account_update","value":{"groups":[{"type":"x"}]}},
      {"field":"messages","value":{"messages":[{"from":"1","id":"w","type":"text"}]}}]}]}]])
    assert.equal(1, #events)
    assert.equal("group_future_update", events[1].field)
    assert.equal("group_future_thing", events[1].type)
    assert.is_true(events[1].shiny)
  end)

  it("returns no events for an envelope without group events", function()
    assert.same({}, webhook.parse '{"object":"whatsapp_business_account","entry":[]}')
    assert.same({}, webhook.parse [[{"object":"whatsapp_business_account","entry":[{"id":"1",
      "changes":[{"field":"group_lifecycle_update","value":{"groups":[]}}, "odd", {"field":1}]}]}]])
  end)

  it("raises a protocol error for a body that is not JSON", function()
    for _, body in ipairs { "", "{", "not json", '{"object":"whatsapp_business_account"', "\0" } do
      local err = helpers.catch(webhook.parse, body)
      assert.equal("protocol", err.kind)
      assert.equal("webhook.parse", err.operation)
      assert.matches("not JSON", err.message, 1, true)
      assert.matches("protocol error", tostring(err), 1, true)
    end
  end)

  it("raises a protocol error for JSON that is not the envelope", function()
    for _, body in ipairs {
      "null", "[]", "42", '"x"', "{}", '{"object":"page","entry":[]}',
      '{"object":"whatsapp_business_account"}', '{"object":"whatsapp_business_account","entry":"x"}',
    } do
      local err = helpers.catch(webhook.parse, body)
      assert.equal("protocol", err.kind, body)
      assert.matches("whatsapp_business_account envelope", err.message, 1, true)
    end
  end)

  it("never puts the body in the error", function()
    local err = helpers.catch(webhook.parse, '{"object":"page","secret_stuff":"16505551234"}')
    assert.is_nil(tostring(err):find("16505551234", 1, true))
  end)

  it("raises a validation error when the body is not a string", function()
    local err = helpers.catch(webhook.parse, nil)
    assert.equal("validation", err.kind)
    assert.equal("raw_body", err.field)
  end)

  it("is not changed by the caller's cjson settings", function()
    local cjson = require "cjson"
    cjson.decode_invalid_numbers(true)
    local err = helpers.catch(webhook.parse, '{"object":"whatsapp_business_account","entry":[],"n":0x10}')
    assert.equal("protocol", err.kind)
  end)
end)
