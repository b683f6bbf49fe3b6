--- What it measures: the client CPU a new TLS connection costs. A client whose CAs do not
-- include the fake's (STORE `ca_file`: the system's plus another CA; `system`: the
-- system's alone) fails every call with a certificate error after the whole handshake, so
-- each call opens a new connection, and the CA store is the client's. The first call
-- builds that store (once per client); the next ATTEMPTS calls each pay a connection.
-- Usage: lua5.4 tls_connect.lua TLS_BASE_URL ca_file|system OTHER_CA_FILE ATTEMPTS
-- Prints `store<TAB>attempts<TAB>first call CPU s<TAB>CPU s of the attempts`.
local bench = require "benchlib"

local base_url, store, other_ca, attempts = arg[1], arg[2], arg[3], tonumber(arg[4])
assert(base_url and (store == "ca_file" or store == "system") and other_ca and attempts,
  "usage: tls_connect.lua TLS_BASE_URL ca_file|system OTHER_CA_FILE ATTEMPTS")

local client = require("whatsapp.groups.safe").new {
  token = bench.TOKEN, phone_number_id = bench.PHONE, base_url = base_url, retries = 0,
  ca_file = store == "ca_file" and other_ca or nil,
}
local function attempt()
  local result, err = client:create(bench.create_args())
  if result ~= nil or err.curl_code ~= 60 then
    error("expected a certificate error, got " .. tostring(err or result))
  end
end

local first = os.clock()
attempt()
first = os.clock() - first
local cpu = os.clock()
for _ = 1, attempts do attempt() end
io.write(string.format("%s\t%d\t%.6f\t%.6f\n", store, attempts, first, os.clock() - cpu))
client:close()
