-- Validation of JSON request bodies against a small schema, with Meta's rules and a details
-- message ("subject: must be at most 128 characters") naming the field and the rule.
--
-- A schema is a list of rules checked in order:
--   { name = "subject", kind = "text", required = true, trim = true, max = 128 }
--   { name = "join_approval_mode", kind = "choice", choices = { "a", "b" }, default = "a" }
--   { name = "participants", kind = "list", required = true, max = 8, item = checker }
-- A text rule with nonempty refuses "" without being required. A list is never empty; its item
-- checker answers like the checkers below.
local utf8 = require "fake_graph.utf8"

local M = {}

-- Every write body of the Cloud API has this one.
M.MESSAGING_PRODUCT = { name = "messaging_product", kind = "choice", choices = { "whatsapp" },
  required = true }

-- Byte loops rather than ("^%s*(.-)%s*$"), which is quadratic on long runs of spaces.
local function trim(s)
  local first, last = 1, #s
  while first <= last and s:find("^%s", first) do first = first + 1 end
  while last >= first and s:find("^%s", last) do last = last - 1 end
  return s:sub(first, last)
end

-- Each checker returns the accepted value (possibly nil) or nil plus the broken rule, and the path
-- inside the value where it is broken ("[2].user") if not the value itself.
local CHECKERS = {}

function CHECKERS.text(value, rule)
  if type(value) ~= "string" then return nil, "must be a string" end
  if not utf8.length(value) then return nil, "must be valid UTF-8" end
  if rule.trim then value = trim(value) end
  if (rule.required or rule.nonempty) and value == "" then return nil, "must not be empty" end
  if rule.max and utf8.length(value) > rule.max then
    return nil, "must be at most " .. rule.max .. " characters"
  end
  return value
end

function CHECKERS.choice(value, rule)
  for _, choice in ipairs(rule.choices) do
    if value == choice then return value end
  end
  local quoted = '"' .. table.concat(rule.choices, '", "') .. '"'
  return nil, (#rule.choices == 1 and "must be " or "must be one of ") .. quoted
end

-- JSON arrays decode to tables with keys 1..n only ([] and {} both give an empty table).
function CHECKERS.list(value, rule)
  if type(value) ~= "table" then return nil, "must be an array" end
  local n = 0
  for _ in pairs(value) do n = n + 1 end
  if n ~= #value then return nil, "must be an array" end
  if n == 0 then return nil, "must not be empty" end
  if rule.max and n > rule.max then return nil, "must have at most " .. rule.max .. " items" end
  local accepted = {}
  for i, item in ipairs(value) do
    local ok, broken, path = rule.item(item)
    if broken then return nil, broken, "[" .. i .. "]" .. (path or "") end
    accepted[i] = ok
  end
  return accepted
end

local function known(schema, name)
  for _, rule in ipairs(schema) do
    if rule.name == name then return true end
  end
  return false
end

-- Returns a table of the accepted values (defaults filled in), or nil and the details message.
function M.object(body, schema)
  if type(body) ~= "table" or #body > 0 then return nil, "request body must be a JSON object" end
  local unknown = {}
  for name in pairs(body) do
    if not known(schema, name) then unknown[#unknown + 1] = tostring(name) end
  end
  if #unknown > 0 then
    table.sort(unknown)
    return nil, unknown[1] .. ": unknown parameter"
  end
  local values = {}
  for _, rule in ipairs(schema) do
    local value = body[rule.name]
    if value == nil then
      if rule.required then return nil, rule.name .. ": is required" end
      values[rule.name] = rule.default
    else
      local accepted, broken, path = CHECKERS[rule.kind](value, rule)
      if broken then return nil, rule.name .. (path or "") .. ": " .. broken end
      values[rule.name] = accepted
    end
  end
  return values
end

return M
