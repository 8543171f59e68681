package controllers

// SetupIndexes registers the controllers' field indexes with an indexer of
// a test's own (a cache the test reads through).
var SetupIndexes = setupIndexes
