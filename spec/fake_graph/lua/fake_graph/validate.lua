-- Validation of JSON request bodies against a small schema, with Meta's rules and a details
-- message ("subject: must be at most 128 characters") naming the field and the rule.
--
-- A schema is a list of rules checked in order:
--   { name = "subject", kind = "text", required = true, trim = true, max = 128 }
--   { name = "join_approval_mode", kind = "choice", choices = { "a", "b" }, default = "a" }
local utf8 = require "fake_graph.utf8"

local M = {}

-- Byte loops rather than ("^%s*(.-)%s*$"), which is quadratic on long runs of spaces.
local function trim(s)
  local first, last = 1, #s
  while first <= last and s:find("^%s", first) do first = first + 1 end
  while last >= first and s:find("^%s", last) do last = last - 1 end
  return s:sub(first, last)
end

-- Each checker returns the accepted value (possibly nil) or nil plus the broken rule.
local CHECKERS = {}

function CHECKERS.text(value, rule)
  if type(value) ~= "string" then return nil, "must be a string" end
  if not utf8.length(value) then return nil, "must be valid UTF-8" end
  if rule.trim then value = trim(value) end
  if rule.required and value == "" then return nil, "must not be empty" end
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
      local accepted, broken = CHECKERS[rule.kind](value, rule)
      if broken then return nil, rule.name .. ": " .. broken end
      values[rule.name] = accepted
    end
  end
  return values
end

return M
