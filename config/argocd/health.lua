-- Argo CD health of every kind of growth.scaleup.io (scaleup-operator).
--
-- The kinds follow kstatus (https://github.com/kubernetes-sigs/cli-utils/blob/master/pkg/kstatus/README.md):
-- Ready is reconcile health, Reconciling and Stalled appear only while True,
-- and status.observedGeneration says which generation the conditions are
-- about. This script reads them in the order kstatus does, so Argo CD,
-- Flux and kstatus agree on every object the operator has reconciled; one
-- it has not yet is Progressing, where kstatus would say Current. The
-- business outcome (TargetMet, CapacitySufficient, TargetsMet...) is left
-- out on purpose: a business below its target is reconciled and Healthy.
--
-- Only Lua's base library is used: Argo CD runs health scripts without the
-- standard libraries unless useOpenLibs is set.

local function condition(conditions, name)
  for _, c in ipairs(conditions) do
    if c.type == name then
      return c
    end
  end
  return nil
end

local function health(status, message)
  return { status = status, message = message }
end

-- Nothing written yet: the operator has not reconciled the object.
if obj.status == nil then
  return health("Progressing", "Waiting for the operator to reconcile")
end

-- Conditions about an older generation say nothing about this one. As in
-- kstatus, a status without observedGeneration skips this check.
local generation = tonumber((obj.metadata or {}).generation)
local observed = tonumber(obj.status.observedGeneration)
if generation ~= nil and observed ~= nil and observed ~= generation then
  return health("Progressing",
    "Waiting for the operator to reconcile generation " .. generation .. " (observed " .. observed .. ")")
end

local conditions = obj.status.conditions or {}

-- Only a change to the spec, or to an object it references, can help.
local stalled = condition(conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  return health("Degraded", stalled.message)
end

-- Waiting for an object it references, or retrying after a transient error.
local reconciling = condition(conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  return health("Progressing", reconciling.message)
end

local ready = condition(conditions, "Ready")
if ready == nil then
  -- kstatus would call an object without a Ready condition Current; every
  -- kind writes one on its first reconcile, so none yet means not yet.
  return health("Progressing", "Waiting for the operator to reconcile")
end
if ready.status ~= "True" then
  -- Reconciled on inputs the operator cannot vouch for (stale or failing
  -- metrics): kstatus InProgress until they are fresh again.
  return health("Progressing", ready.message)
end

-- A MetricSource stays Ready while its values age; say so.
local stale = condition(conditions, "Stale")
if stale ~= nil and stale.status == "True" then
  return health("Healthy", stale.message)
end
return health("Healthy", ready.message)
