using Xunit;

// The scenarios run in real time against real servers and measure throttles: run one at a time, so that no
// test's CPU load shifts another's timing on a small machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
