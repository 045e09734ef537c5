import BulwarkHTTPClient
import Foundation
import NIOHTTP1
import RedisClient
import RedisTestSupport
import Testing

@Suite struct RetryAfterHeaderTests {
    /// 2015-10-21 07:28:00 UTC.
    private let now = Date(timeIntervalSince1970: 1_445_412_480)

    @Test func readsSecondsAndHTTPDates() {
        #expect(RetryAfterHeader.delay("120", now: now) == .seconds(120))
        #expect(RetryAfterHeader.delay(" 0 ", now: now) == .zero)
        #expect(RetryAfterHeader.delay("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == .seconds(30))
        #expect(RetryAfterHeader.delay("Thu, 01 Jan 2015 00:00:00 GMT", now: now) == .zero, "a date in the past: go now")
        #expect(RetryAfterHeader.delay("Sat, 29 Feb 2020 12:00:00 GMT", now: now) == .seconds(1_445_412_480 * -1 + 1_582_977_600))
    }

    @Test func refusesWhatIsNeitherFormWithoutCrashing() {
        for value in [
            "", "-1", "1.5", "soon", "Wed, 21 Oct 2015 07:28:00 UTC", "Wednesday, 21-Oct-15 07:28:00 GMT", "Wed, 21 Foo 2015 07:28:00 GMT",
            "Wed, 99 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 25:28:00 GMT", String(repeating: "9", count: 100),
        ] {
            #expect(RetryAfterHeader.delay(value, now: now) == nil, "\(value)")
        }
        #expect(RetryAfterHeader.delay("99999999999999999999", now: now) == .seconds(1_000_000_000), "too large: the cap applies")
    }
}
