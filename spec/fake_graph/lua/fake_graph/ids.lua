-- Identifiers that look like Graph's: opaque, random-looking, unique within a run.
local store = require "fake_graph.store"

local M = {}

local BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local ALPHANUMERIC = BASE64URL:sub(1, 62)

-- Called from init_worker: each worker needs its own random sequence.
function M.seed()
  math.randomseed(ngx.now() * 1000 + ngx.worker.pid())
end

local function random_string(n, alphabet)
  local out = {}
  for i = 1, n do
    local k = math.random(#alphabet)
    out[i] = alphabet:sub(k, k)
  end
  return table.concat(out)
end

-- 15 random-looking digits; seq (a shared counter) makes them unique.
local function unique_digits(seq)
  return string.format("%d%08d%06d", math.random(9), math.random(0, 99999999), seq % 1000000)
end

function M.fbtrace_id()
  return "A" .. random_string(22, BASE64URL)
end

-- Like Meta's "106540352242922"; every asynchronous operation gets one.
function M.request_id()
  return unique_digits(store.next("request_id"))
end

-- Meta's group ids are base64 of "capi_group:<phone>:<number>" followed by "ZD".
function M.group_id(phone_number_id, seq)
  return ngx.encode_base64("capi_group:" .. phone_number_id .. ":120363" .. unique_digits(seq), true)
    .. "ZD"
end

function M.invite_link()
  return "https://chat.whatsapp.com/" .. random_string(22, ALPHANUMERIC)
end

-- Like Meta's "MTY0NjcwNDM1OTU6MTIwMzYzNDA0Njk0MjMzODIw", base64 of "<wa_id>:<number>".
function M.join_request_id(wa_id)
  return ngx.encode_base64(wa_id .. ":120363" .. unique_digits(store.next("join_request_id")), true)
end

-- A business-scoped user id (BSUID) like "US.13491208655302741918".
function M.user_id()
  return "US." .. unique_digits(store.next("user_id")) .. string.format("%05d", math.random(0, 99999))
end

-- Media ids: digits, like Meta's "4490709327384033".
function M.media_id()
  return "4" .. unique_digits(store.next("media_id"))
end

-- Message ids: "wamid." and base64, as Meta's.
function M.wamid()
  local seq = store.next("wamid")
  return "wamid." .. ngx.encode_base64("fake_group_message:" .. seq .. ":" .. random_string(12, BASE64URL))
end

return M
