-- Simulated voters for wrk (run by bench/load.py; wrk -t N -c N: one voter per thread, since
-- wrk's Lua callbacks do not say which connection a response belongs to).
--
-- Each voter plays the real flow over and over: GET the landing page, GET statement 1 (the start
-- link), answer the 40 statements, GET the results. The answer token travels from response to
-- response: from HX-Push-Url (htmx) or Location (no JavaScript) into the next form POST.
--   htmx:  POST with HX-Request → 200 fragment + HX-Push-Url; the last → 200 + HX-Redirect
--   form:  POST → 303 Location → GET the next statement; the last → 303 to the results
-- Each voter writes a line per response to <output>.<thread>: "L <step> <µs>", "E <step>" for an
-- error, "C" for a completed quiz (buffered; the files are flushed when wrk exits).
--
-- Arguments: <slug> <statement ids, comma-separated> <htmx|form> <output file>

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } stemtest_timespec;
int clock_gettime(int clock_id, stemtest_timespec *tp);
]]
local clock = ffi.new("stemtest_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_nsec) / 1000
end

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local slug, ids, mode, log
local base, ACCEPT = "", "text/html,application/xhtml+xml"
local CHOICES = { "eens", "oneens", "neutraal", "overslaan", "eens", "oneens" }

-- Per-voter state: the next request to send, and what it is.
local step, kind, token, next_url, sent_at
local answered

local function restart()
  step, token, next_url, answered = "landing", "", nil, 0
end

function init(args)
  slug, mode = args[1], args[3]
  log = assert(io.open(args[4] .. "." .. id, "w"))
  log:setvbuf("full")
  ids = {}
  for id in string.gmatch(args[2], "%d+") do
    table.insert(ids, id)
  end
  base = "/stemtest/" .. slug .. "/"
  math.randomseed(id * 7919)
  restart()
end

local function token_of(url)
  local value = url and string.match(url, "[?&]a=([^&#]+)")
  return value or ""
end

local function post_answer()
  answered = answered + 1
  local choice = CHOICES[math.random(#CHOICES)]
  local body = "a=" .. string.gsub(token, ":", "%%3A") .. "&stelling=" .. ids[answered]
    .. "&answer=" .. choice
  if math.random(5) == 1 then
    body = body .. "&belangrijk=1"
  end
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = ACCEPT,
    ["Accept-Encoding"] = "gzip, br",
  }
  if mode == "htmx" then
    headers["HX-Request"] = "true"
    headers["HX-Current-URL"] = "http://127.0.0.1" .. base
  end
  return wrk.format("POST", base .. "stelling/" .. answered .. "/", headers, body)
end

local function get(path)
  return wrk.format("GET", path, { ["Accept"] = ACCEPT, ["Accept-Encoding"] = "gzip, br" })
end

function request()
  sent_at = now_us()
  if step == "landing" then
    kind = "landing"
    return get(base)
  elseif step == "first" then
    kind = "statement"
    return get(base .. "stelling/1/")
  elseif step == "answer" then
    kind = "answer"
    return post_answer()
  elseif step == "next" then
    kind = "statement"
    return get(next_url)
  else -- results
    kind = "results"
    return get(next_url)
  end
end

local function fail()
  log:write("E ", kind, "\n")
  restart()
end

function response(status, headers, body)
  local elapsed = now_us() - sent_at
  log:write("L ", kind, " ", string.format("%d", elapsed), "\n")
  if kind == "landing" or kind == "statement" or kind == "results" then
    if status ~= 200 then
      return fail()
    end
    if kind == "results" then
      log:write("C\n")
      restart()
    elseif kind == "landing" then
      step = "first"
    else
      step = "answer"
    end
    return
  end
  -- an answer
  local target
  if mode == "htmx" then
    if status ~= 200 then
      return fail()
    end
    target = headers["HX-Push-Url"] or headers["HX-Redirect"]
  else
    if status ~= 303 then
      return fail()
    end
    target = headers["Location"]
  end
  token = token_of(target)
  if token == "" then
    return fail()
  end
  next_url = target
  if answered == #ids then
    if not string.find(target, "/resultaat/", 1, true) then
      return fail()
    end
    step = "results"
  elseif mode == "htmx" then
    step = "answer" -- the fragment is the next statement already
  else
    step = "next"
  end
end
