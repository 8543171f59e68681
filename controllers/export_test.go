package controllers

// SetupIndexes registers the controllers' field indexes with an indexer of
// a test's own (a cache the test reads through).
var SetupIndexes = setupIndexes

// AdmitAll records the admissions of a program pass (the seats it chose).
var AdmitAll = admitAll
