package records

import "testing"

// TestSystemCannotBeForged: only System makes the actor that is nabij itself;
// an Actor built with the same user id and role is an ordinary, unknown actor.
func TestSystemCannotBeForged(t *testing.T) {
	if !System().IsSystem() {
		t.Fatal("System() is not the system actor")
	}
	forged := Actor{UserID: "system", Role: "system"}
	if forged.IsSystem() {
		t.Fatal("an Actor built with user id and role system counts as nabij")
	}
	if forged == System() {
		t.Fatal("a forged actor equals System()")
	}
	if (Actor{UserID: "u1", Role: RoleAdmin}).IsSystem() {
		t.Fatal("an admin counts as nabij")
	}
}
