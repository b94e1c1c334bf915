-- Simulated voters for wrk (run by bench/load.py; wrk -t N -c N: one voter per thread, since
-- wrk's Lua callbacks do not say which connection a response belongs to).
--
-- Each voter plays the real flow over and over: GET the landing page, GET statement 1 (the start
-- link), answer the 40 statements, GET the results.
--   js:    what a browser with JavaScript does (static/js/quiz.js and results.js): GET
--          stellingen/ (the bundle, gzip), answer on the device, GET resultaat/ (the page the
--          device fills in; the answers stay in the fragment, which is never sent): 4 requests,
--          the same for every voter, against Django or the static export (load.py's flows js
--          and export)
--   form:  POST an answer → 303 Location → GET the next statement; the last → 303 to the
--          overview, GET it, POST it (belangrijk as it is) → 303 to the results (no
--          JavaScript); the answer token travels from Location into the next POST
-- With static files (load.py --cold), a first-time visitor also GETs the static files each page
-- references that it has not fetched yet in this quiz (stylesheets and, except in form, the
-- scripts), right after that page, as a browser without a cache would.
-- Each voter writes a line per response to <output>.<thread>: "L <step> <µs>", "E <step>" for an
-- error, "C" for a completed quiz (buffered; the files are flushed when wrk exits).
--
--   stats: the js flow, and after the results 3 quizzes in 10 (the share in the 6th argument)
--          also POST statistieken/ (the voter's consent: their answers, once, counted in Redis)
--
-- Arguments: <slug> <statement ids in quiz order, comma-separated> <js|form|stats> <output file>
--            [<static files after the landing page>;<after statement 1>;<after the results>]
--            (each a comma-separated list of paths, may be empty) [<consent share, 0–1>]

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
local consent_share, quizzes = 0, 0 -- stats: consent after every quiz whose number mod 10 < 10 × share
local base, ACCEPT = "", "text/html,application/xhtml+xml"
local CHOICES = { "eens", "oneens", "neutraal", "overslaan", "eens", "oneens" }
local LETTERS = "eonsEO" -- the same answers as the device writes them (quiz.answers.LETTERS)
local STATIC = { landing = {}, statement = {}, results = {} } -- paths to fetch after each page

-- Per-voter state: the next request to send, and what it is.
local step, kind, token, next_url, sent_at
local answered, pending

local function restart()
  step, token, next_url, answered, pending = "landing", "", nil, 0, {}
end

local function split(text)
  local items = {}
  for item in string.gmatch(text or "", "[^,]+") do
    table.insert(items, item)
  end
  return items
end

function init(args)
  slug, mode = args[1], args[3]
  log = assert(io.open(args[4] .. "." .. id, "w"))
  log:setvbuf("full")
  ids = split(args[2])
  if args[5] then
    local landing, statement, results = string.match(args[5], "^([^;]*);([^;]*);([^;]*)$")
    STATIC = { landing = split(landing), statement = split(statement), results = split(results) }
  end
  consent_share = tonumber(args[6] or "0") or 0
  if mode == "stats" then
    mode, STATS = "js", true
  end
  base = "/stemtest/" .. slug .. "/"
  math.randomseed(id * 7919)
  restart()
end

local function token_of(url)
  local value = url and string.match(url, "[?&]a=([^&#]+)")
  return value or ""
end

local function random_answer()
  return CHOICES[math.random(#CHOICES)], math.random(5) == 1
end

local function post_answer()
  answered = answered + 1
  local choice, important = random_answer()
  local body = "a=" .. string.gsub(token, ":", "%%3A") .. "&stelling=" .. ids[answered]
    .. "&answer=" .. choice
  if important then
    body = body .. "&belangrijk=1"
  end
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = ACCEPT,
    ["Accept-Encoding"] = "gzip, br",
  }
  return wrk.format("POST", base .. "stelling/" .. answered .. "/", headers, body)
end

local function get(path, accept)
  local headers = { ["Accept"] = accept or ACCEPT, ["Accept-Encoding"] = "gzip, br" }
  return wrk.format("GET", path, headers)
end

-- After a page, the static files it references (when --cold), before the flow goes on.
local function queue_static(page)
  for _, path in ipairs(STATIC[page]) do
    if mode ~= "form" or not string.find(path, "%.js$") then
      table.insert(pending, path)
    end
  end
end

function request()
  sent_at = now_us()
  if #pending > 0 then
    kind = "static"
    return get(table.remove(pending, 1), "*/*")
  elseif step == "landing" then
    kind = "landing"
    return get(base)
  elseif step == "first" then
    kind = "statement"
    return get(base .. "stelling/1/")
  elseif step == "bundle" then
    kind = "bundle"
    return get(base .. "stellingen/", "text/html") -- quiz.js's fetch()
  elseif step == "answer" then
    kind = "answer"
    return post_answer()
  elseif step == "next" then
    kind = "statement"
    return get(next_url)
  elseif step == "overview" then
    kind = "overview"
    return get(next_url)
  elseif step == "consent" then
    kind = "consent"
    local pairs = {}
    for _, statement in ipairs(ids) do
      local letter = math.random(#LETTERS)
      table.insert(pairs, statement .. string.sub(LETTERS, letter, letter))
    end
    return wrk.format("POST", base .. "statistieken/", {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Accept"] = "application/json",
    }, "antwoorden=1." .. table.concat(pairs))
  elseif step == "overview-post" then
    kind = "overview"
    return wrk.format("POST", base .. "overzicht/", {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Accept"] = ACCEPT,
      ["Accept-Encoding"] = "gzip, br",
    }, "a=" .. string.gsub(token, ":", "%%3A"))
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
  if kind == "static" then
    if status ~= 200 or #body == 0 then
      return fail()
    end
    if #pending == 0 and step == "done" then
      log:write("C\n")
      restart()
    end
    return
  end
  if kind == "consent" then
    if status ~= 200 or not string.find(body, '"geteld"', 1, true) then
      return fail()
    end
    log:write("S\n") -- a consent counted
    log:write("C\n")
    restart()
    return
  end
  if kind == "overview" and step == "overview" then
    if status ~= 200 then
      return fail()
    end
    step = "overview-post"
    return
  end
  if kind == "landing" or kind == "statement" or kind == "results" then
    if status ~= 200 then
      return fail()
    end
    if kind == "results" then
      queue_static("results")
      quizzes = quizzes + 1
      if STATS and (quizzes % 10) < consent_share * 10 then
        step = "consent" -- the voter chose to be counted
      elseif #pending == 0 then
        log:write("C\n")
        restart()
      else
        step = "done" -- complete once its static files came
      end
    elseif kind == "landing" then
      queue_static("landing")
      step = "first"
    else
      if answered == 0 then
        queue_static("statement")
      end
      step = mode == "js" and "bundle" or "answer"
    end
    return
  end
  if kind == "bundle" then
    -- 200 with the gzip body a browser gets; an empty or uncompressed body is an error
    if status ~= 200 or headers["Content-Encoding"] ~= "gzip" or not headers["ETag"]
      or #body == 0 then
      return fail()
    end
    answered = #ids -- on the device, where the results are computed too
    next_url = base .. "resultaat/"
    step = "results"
    return
  end
  -- an answer, or the overview's POST
  if status ~= 303 then
    return fail()
  end
  local target = headers["Location"]
  token = token_of(target)
  if token == "" then
    return fail()
  end
  next_url = target
  if kind == "overview" then -- the overview's POST: on to the results
    if not string.find(target, "/resultaat/", 1, true) then
      return fail()
    end
    step = "results"
  elseif answered == #ids then
    if not string.find(target, "/overzicht/", 1, true) then
      return fail()
    end
    step = "overview"
  else
    step = "next"
  end
end
