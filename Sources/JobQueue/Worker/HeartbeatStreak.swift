/// Whether a worker has been in touch with the registry long enough to judge others silent.
///
/// After an outage of the database every worker looks silent, the first one back included. Its
/// own beats tell it so: a gap of more than two periods between two of its answered beats means
/// it was cut off too, and others may simply not have had their turn yet. So it sweeps only after
/// its beats have answered, without such a gap, for as many periods as the sweep allows others.
package struct HeartbeatStreak: Sendable {
    let interval: Duration
    let beats: Int
    private var since: ContinuousClock.Instant?
    private var last: ContinuousClock.Instant?

    /// A streak for heartbeats every `interval`, judging others after `beats` missed ones.
    package init(interval: Duration, beats: Int) {
        self.interval = interval
        self.beats = beats
    }

    /// Records a beat answered at `now`; true when this worker may sweep silent workers.
    package mutating func answered(at now: ContinuousClock.Instant) -> Bool {
        if let last, now - last <= interval * 2 {} else { since = now }
        last = now
        return now - since! >= interval * beats
    }
}
