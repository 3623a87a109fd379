/**
 * Test support shared by every c2cast module: a seeded property harness ({@link dev.c2cast.testkit.Property},
 * {@link dev.c2cast.testkit.Gen}), a virtual clock and scheduler ({@link dev.c2cast.testkit.FakeClock},
 * {@link dev.c2cast.testkit.FakeScheduler}), a seeded link impairment model ({@link dev.c2cast.testkit.Impairment})
 * and guards for tests that need root or external tools ({@link dev.c2cast.testkit.Environment}).
 */
package dev.c2cast.testkit;
