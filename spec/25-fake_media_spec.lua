-- The fake Graph server's Upload Media endpoint (POST /{version}/{phone}/media), with the
-- types and size limits Meta documents: what a client's upload_media is tested against.
local cjson = require "cjson"
local helpers = require "helpers"

local KB, MB = 1024, 1024 * 1024
local BOUNDARY = "fake-media-spec-boundary"

-- A multipart/form-data body of the given parts, in order: { name, data }.
local function form(parts)
  local out = {}
  for _, part in ipairs(parts) do
    local filename = part[1] == "file" and '; filename="upload.bin"' or ""
    out[#out + 1] = "--" .. BOUNDARY .. "\r\nContent-Disposition: form-data; name=\"" .. part[1]
      .. '"' .. filename .. "\r\n\r\n" .. part[2] .. "\r\n"
  end
  return table.concat(out) .. "--" .. BOUNDARY .. "--\r\n"
end

local function post(body, headers)
  local h = headers or {
    Authorization = "Bearer " .. helpers.token,
    ["Content-Type"] = "multipart/form-data; boundary=" .. BOUNDARY,
  }
  local status, _, answer = helpers.carry {
    method = "POST", headers = h, body = body,
    url = helpers.base_url .. "/v24.0/" .. helpers.phone_number_id .. "/media",
  }
  return status, cjson.decode(answer)
end

local function upload(mime, data)
  return post(form { { "messaging_product", "whatsapp" }, { "type", mime }, { "file", data } })
end

-- The details of a refusal, after checking it is Graph's invalid-parameter error.
local function refusal(status, answer)
  assert.equal(400, status)
  assert.equal(100, answer.error.code)
  return answer.error.error_data.details
end

-- A WebP file of n bytes: animated (a VP8X chunk with the animation flag) or static.
local function webp(n, animated)
  local head = "RIFF" .. "\0\0\0\0" .. "WEBP"
  if animated then head = head .. "VP8X" .. "\10\0\0\0" .. "\2" else head = head .. "VP8 " end
  return head .. string.rep("\0", n - #head)
end

describe("the fake server's media upload", function()
  before_each(helpers.reset)

  it("takes a documented type within its limit and answers its id", function()
    local status, answer = upload("image/jpeg", helpers.jpeg(640, 480, 5 * MB))
    assert.equal(200, status)
    assert.matches("^%d+$", answer.id)
    local seen = helpers.control_get("media")
    assert.equal(1, seen.count)
    assert.same({ answer.id, "image/jpeg", helpers.phone_number_id },
      { seen.media[1].id, seen.media[1].type, seen.media[1].phone_number_id })
    assert.is_true(seen.media[1].bytes >= 5 * MB - 64 and seen.media[1].bytes <= 5 * MB)
  end)

  it("refuses a file over its type's limit, naming the limit", function()
    local cases = {
      { "image/png", 5 * MB + 1, "5 MB" },
      { "audio/ogg", 16 * MB + 1, "16 MB" },
      { "video/mp4", 16 * MB + 1, "16 MB" },
    }
    for _, case in ipairs(cases) do
      local details = refusal(upload(case[1], string.rep("x", case[2])))
      assert.matches("a " .. case[1]:gsub("%p", "%%%0") .. " file must be at most " .. case[3], details)
    end
    assert.equal(0, helpers.control_get("media").count)
  end)

  it("gives documents more room than audio and video", function()
    assert.equal(200, (upload("text/plain", string.rep("x", 16 * MB + 1))))
  end)

  it("holds a static sticker to 100 KB and an animated one to 500 KB", function()
    assert.equal(200, (upload("image/webp", webp(100 * KB, false))))
    assert.matches("%(static%) must be at most 100 KB", refusal(upload("image/webp", webp(100 * KB + 1, false))))
    assert.equal(200, (upload("image/webp", webp(500 * KB, true))))
    assert.matches("%(animated%) must be at most 500 KB", refusal(upload("image/webp", webp(500 * KB + 1, true))))
    assert.matches("must be a WebP image", refusal(upload("image/webp", "GIF89a")))
  end)

  it("refuses a type Meta does not list, and a form without its fields", function()
    assert.matches('^type: must be one of .*"image/jpeg"', refusal(upload("image/gif", "GIF89a")))
    assert.equal("messaging_product: is required",
      refusal(post(form { { "type", "image/png" }, { "file", "png" } })))
    assert.equal("type: is required",
      refusal(post(form { { "messaging_product", "whatsapp" }, { "file", "png" } })))
    assert.equal("file: is required",
      refusal(post(form { { "messaging_product", "whatsapp" }, { "type", "image/png" } })))
    assert.equal("request body: must be multipart/form-data", refusal(post("{}", {
      Authorization = "Bearer " .. helpers.token, ["Content-Type"] = "application/json" })))
    assert.equal(0, helpers.control_get("media").count)
  end)

  it("needs the bearer token, as every Graph endpoint", function()
    local status, answer = post(form { { "messaging_product", "whatsapp" } },
      { ["Content-Type"] = "multipart/form-data; boundary=" .. BOUNDARY })
    assert.equal(401, status)
    assert.equal(104, answer.error.code)
  end)
end)
