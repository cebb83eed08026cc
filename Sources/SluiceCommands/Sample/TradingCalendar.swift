import Sluice

/// NYSE-like trading days: weekdays without the exchange's regular full-day holidays (New Year's Day, Martin
/// Luther King Jr. Day, Presidents' Day, Good Friday, Memorial Day, Juneteenth from 2022, Independence Day,
/// Labor Day, Thanksgiving, Christmas; Saturday holidays observed on Friday, Sunday ones on Monday).
public enum TradingCalendar {
    /// Whether the exchange trades on `date`.
    public static func isTradingDay(_ date: CivilDate) -> Bool {
        let weekday = date.weekday
        guard weekday != 0 && weekday != 6 else { return false }
        return !holidays(year: date.components.year).contains(date)
    }

    /// The `count` trading days ending on or before `end`, oldest first.
    public static func days(count: Int, endingOnOrBefore end: CivilDate) -> [CivilDate] {
        var days: [CivilDate] = []
        days.reserveCapacity(count)
        var date = end
        while days.count < count {
            if isTradingDay(date) { days.append(date) }
            date = date.adding(days: -1)
        }
        return days.reversed()
    }

    static func holidays(year: Int) -> Set<CivilDate> {
        var result: Set<CivilDate> = []
        func fixed(_ month: Int, _ day: Int) {
            guard let date = CivilDate(year: year, month: month, day: day) else { return }
            switch date.weekday {
            case 6: result.insert(date.adding(days: -1))
            case 0: result.insert(date.adding(days: 1))
            default: result.insert(date)
            }
        }
        func nth(_ n: Int, weekday: Int, month: Int) {
            guard let first = CivilDate(year: year, month: month, day: 1) else { return }
            let offset = (weekday - first.weekday + 7) % 7
            result.insert(first.adding(days: offset + 7 * (n - 1)))
        }
        func last(weekday: Int, month: Int) {
            guard let next = CivilDate(year: month == 12 ? year + 1 : year, month: month % 12 + 1, day: 1) else {
                return
            }
            let lastDay = next.adding(days: -1)
            result.insert(lastDay.adding(days: -((lastDay.weekday - weekday + 7) % 7)))
        }
        fixed(1, 1)
        nth(3, weekday: 1, month: 1)
        nth(3, weekday: 1, month: 2)
        if let easter = easterSunday(year) { result.insert(easter.adding(days: -2)) }
        last(weekday: 1, month: 5)
        if year >= 2022 { fixed(6, 19) }
        fixed(7, 4)
        nth(1, weekday: 1, month: 9)
        nth(4, weekday: 4, month: 11)
        fixed(12, 25)
        return result
    }

    /// Easter Sunday (anonymous Gregorian algorithm).
    static func easterSunday(_ year: Int) -> CivilDate? {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CivilDate(year: year, month: month, day: day)
    }
}
