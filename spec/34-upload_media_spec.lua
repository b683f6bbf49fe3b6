-- client:upload_media: a file given by its path (or its bytes) goes to Graph's media
-- endpoint as multipart, checked before any I/O against Meta's types and sizes; the media
-- id it answers is what send takes. Against the fake Graph server, which checks the same.
local helpers = require "helpers"

local function file_with(bytes)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(bytes)
  f:close()
  return path
end

describe("upload_media", function()
  before_each(helpers.reset)

  it("uploads an image from a file and sends it to a group by its id", function()
    local client = helpers.client()
    local id = helpers.create_group(client)
    helpers.join(id, "16505551234")
    local path = file_with(helpers.jpeg(640, 480, 20000))
    local media = client:upload_media(path, { type = "image/jpeg" })
    assert.is_string(media.media_id)
    assert.equal(1, media.attempts)
    local sent = client:send(id, { type = "image", image = { id = media.media_id, caption = "Team" } })
    assert.matches("^wamid%.", sent.message_id)
    local seen = helpers.requests().requests
    assert.matches("/media$", seen[#seen - 1].path)
    client:close()
    os.remove(path)
  end)

  it("takes the bytes themselves, on the pump too", function()
    local client = helpers.client()
    local a = client:async {}
    local got
    a:upload_media(helpers.jpeg(200, 200, 5000), { type = "image/jpeg" }, nil, function(r, err) got = r or err end)
    assert.is_nil(a:wait())
    assert.is_string(got.media_id)
    a:close()
    client:close()
  end)

  it("refuses oversized and wrongly typed media, and sends nothing", function()
    local client = helpers.client()
    local big = file_with(string.rep("x", 5 * 1024 * 1024 + 1))
    for _, case in ipairs {
      { big, { type = "image/jpeg" }, "file", "holds no image/jpeg data" },
      { "\255\216" .. string.rep("x", 5 * 1024 * 1024), { type = "image/jpeg" }, "file", "5 MB" },
      { "/no/such/photo.jpg", { type = "image/jpeg" }, "file", "holds no image/jpeg data" },
      { string.rep("a", 16 * 1024 * 1024 + 1), { type = "audio/mpeg" }, "file", "16 MB" },
      { helpers.jpeg(200, 200), { type = "image/gif" }, "type", "must be" },
      { helpers.jpeg(200, 200), { type = "image/webp" }, "file", "WebP" },
      { "RIFF\0\0\0\0WEBPVP8 " .. string.rep("x", 100 * 1024), { type = "image/webp" }, "file", "100 KB" },
      { helpers.jpeg(200, 200), {}, "type", "required" },
      { helpers.jpeg(200, 200), { type = "image/jpeg", kind = "x" }, "kind", "unknown" },
    } do
      local err = helpers.catch(client.upload_media, client, case[1], case[2])
      assert.equal("validation", err.kind)
      assert.equal(case[3], err.field)
      assert.matches(case[4], err.reason)
    end
    client:close()
    os.remove(big)
    assert.equal(0, helpers.request_count())
  end)

  it("runs examples/send_image.lua against the fake server", function()
    local client = helpers.client()
    local id = helpers.create_group(client)
    helpers.join(id, "16505551234")
    client:close()
    local path = file_with(helpers.jpeg(400, 400, 8000))
    local status, out = helpers.run_example("send_image", { id, path, "From a file" })
    os.remove(path)
    assert.equal(0, status, out)
    assert.matches("uploaded .* as media %d+", out)
    assert.matches("sent wamid%.%S+ to " .. id:gsub("%p", "%%%0"), out)
  end)
end)
