package controllers

import (
	"testing"
	"time"
)

func TestSpareArenaIsReusedWhileBusy(t *testing.T) {
	s := &arenaSpare{idle: time.Hour}
	a := s.take()
	if b := s.take(); b == a {
		t.Fatal("two passes were given the same arena")
	}
	s.give(a)
	if got := s.take(); got != a {
		t.Fatal("the next pass did not get the spare arena")
	}
}

func TestSpareArenaIsLetGoWhenIdle(t *testing.T) {
	s := &arenaSpare{idle: time.Millisecond}
	a := s.take()
	s.give(a)
	// The deadline only ends a failing test; the arena goes a millisecond
	// after it was given.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
		s.mu.Lock()
		held := s.arena != nil
		s.mu.Unlock()
		if !held {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the spare arena is still held a minute after its last pass")
		}
	}
	if got := s.take(); got == a {
		t.Fatal("an idle arena was handed out again")
	}
}
