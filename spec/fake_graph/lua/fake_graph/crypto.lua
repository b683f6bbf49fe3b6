-- SHA-256 and HMAC-SHA256 as lowercase hex. ngx_lua only offers SHA-1, so these call OpenSSL's
-- libcrypto through the LuaJIT FFI: nginx links it, so its symbols are already in ffi.C.
local ffi = require "ffi"

ffi.cdef [[
typedef struct evp_md_st EVP_MD;
const EVP_MD *EVP_sha256(void);
unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len, const unsigned char *d,
                    size_t n, unsigned char *md, unsigned int *md_len);
unsigned char *SHA256(const unsigned char *d, size_t n, unsigned char *md);
]]

local C = ffi.C
local DIGEST_LENGTH = 32

local M = {}

local function hex(digest)
  return (ffi.string(digest, DIGEST_LENGTH):gsub(".", function(c)
    return string.format("%02x", c:byte())
  end))
end

function M.sha256_hex(data)
  local digest = ffi.new("unsigned char[?]", DIGEST_LENGTH)
  C.SHA256(data, #data, digest)
  return hex(digest)
end

-- What Meta puts after "sha256=" in X-Hub-Signature-256: HMAC-SHA256(key, body).
function M.hmac_sha256_hex(key, data)
  local digest = ffi.new("unsigned char[?]", DIGEST_LENGTH)
  local length = ffi.new("unsigned int[1]")
  if C.HMAC(C.EVP_sha256(), key, #key, data, #data, digest, length) == nil then
    error("HMAC-SHA256 failed")
  end
  return hex(digest)
end

return M
