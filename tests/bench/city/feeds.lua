-- wrk script: every request fetches a random staff member's calendar feed from the seed's list (feeds.txt).
local paths = {}
for line in io.lines(os.getenv("FEED_PATHS")) do
  paths[#paths + 1] = line
end
math.randomseed(16)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
