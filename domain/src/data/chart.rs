//! The geometry of the data pages' pictures, drawn as SVG on the server and
//! in the browser alike: daily steps as bars and as a year's heat map, and
//! location points on a plot with a scale. No I/O and no drawing here —
//! only where things go, so the numbers can be table-tested.

use time::{Date, Duration, Weekday};

/// One day's bar: its place from the left (0-based) and its height as a
/// share of the chart's top value (0.0–1.0). `steps` is `None` for a day
/// without a record (nothing is drawn; the table says so).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub day: Date,
    pub steps: Option<u32>,
    pub slot: usize,
    pub share: f64,
}

/// A value rounded up to 1, 2 or 5 × 10ⁿ: the top of an axis.
#[must_use]
pub fn nice_ceiling(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return 1.0;
    }
    let power = 10_f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|top| *top >= value * (1.0 - 1e-12))
        .unwrap_or(10.0 * power)
}

/// The `days` days ending with `last` (oldest first), with the counts found
/// in `counts`, and the axis top they are measured against.
#[must_use]
pub fn step_bars(counts: &[(Date, u32)], last: Date, days: usize) -> (Vec<Bar>, f64) {
    let found: std::collections::HashMap<Date, u32> = counts.iter().copied().collect();
    let span = i64::try_from(days).unwrap_or(0);
    let window: Vec<(usize, Date)> = (0..span)
        .map(|back| last - Duration::days(span - 1 - back))
        .enumerate()
        .collect();
    let top = nice_ceiling(f64::from(
        window
            .iter()
            .filter_map(|(_, d)| found.get(d).copied())
            .max()
            .unwrap_or(0),
    ));
    let bars = window
        .into_iter()
        .map(|(slot, day)| {
            let steps = found.get(&day).copied();
            Bar {
                day,
                steps,
                slot,
                share: steps.map_or(0.0, |s| f64::from(s) / top),
            }
        })
        .collect();
    (bars, top)
}

/// One day of the year's heat map: its week column (0 = the oldest week),
/// its weekday row (0 = Monday) and its shade (0 = no record, 1–4 by
/// [`LEVELS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub day: Date,
    pub steps: Option<u32>,
    pub week: usize,
    pub weekday: u8,
    pub level: u8,
}

/// The lower bounds of shades 2, 3 and 4 (fewer steps is shade 1): the
/// legend names them.
pub const LEVELS: [u32; 3] = [4_000, 8_000, 12_000];

/// The shade of a day's count.
#[must_use]
pub fn level(steps: Option<u32>) -> u8 {
    match steps {
        None => 0,
        Some(s) => 1 + u8::try_from(LEVELS.iter().filter(|l| s >= **l).count()).unwrap_or(0),
    }
}

/// The 53 weeks ending with the week of `last` (weeks start on Monday), one
/// cell per day up to `last`.
#[must_use]
pub fn heat_map(counts: &[(Date, u32)], last: Date) -> Vec<Cell> {
    let found: std::collections::HashMap<Date, u32> = counts.iter().copied().collect();
    let monday = last - Duration::days(i64::from(last.weekday().number_days_from_monday()));
    let first = monday - Duration::weeks(52);
    let mut cells = Vec::with_capacity(371);
    let mut day = first;
    while day <= last {
        let offset = (day - first).whole_days();
        let steps = found.get(&day).copied();
        cells.push(Cell {
            day,
            steps,
            week: usize::try_from(offset / 7).unwrap_or(0),
            weekday: day.weekday().number_days_from_monday(),
            level: level(steps),
        });
        day = day.next_day().unwrap_or(last + Duration::days(1));
    }
    cells
}

/// Whether a heat-map column starts a month (it gets the month's label).
#[must_use]
pub fn starts_month(cells: &[Cell], week: usize) -> Option<time::Month> {
    cells
        .iter()
        .find(|c| c.week == week && c.day.day() <= 7 && c.day.weekday() == Weekday::Monday)
        .map(|c| c.day.month())
}

/// A point placed on the plot, in the plot's units (y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
}

/// Points fitted into a `width` × `height` box with north up and equal
/// metres on both axes, and a scale bar of a round length.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    pub points: Vec<Placed>,
    /// The scale bar's length in metres (1, 2 or 5 × 10ⁿ).
    pub scale_m: f64,
    /// …and in the plot's units.
    pub scale_len: f64,
}

/// Mean Earth radius (m).
const EARTH_M: f64 = 6_371_008.8;
/// The smallest span shown, so one point or a cluster is not blown up.
const MIN_SPAN_M: f64 = 200.0;

/// Places `(latitude, longitude)` points (degrees) in the box, leaving
/// `margin` on every side. An equirectangular projection around the
/// points' mean latitude: exact enough for a city or a country.
#[must_use]
pub fn plot(points: &[(f64, f64)], width: f64, height: f64, margin: f64) -> Plot {
    let metres_per_degree = EARTH_M * std::f64::consts::PI / 180.0;
    let n = points.len().max(1) as f64;
    let mean_lat = points.iter().map(|p| p.0).sum::<f64>() / n;
    let east = metres_per_degree * mean_lat.to_radians().cos();
    let metres: Vec<(f64, f64)> = points
        .iter()
        .map(|(lat, lon)| (lon * east, lat * metres_per_degree))
        .collect();
    let bound = |f: fn(&(f64, f64)) -> f64, min: bool| {
        metres.iter().map(f).fold(
            if min {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            },
            |a, b| {
                if min { a.min(b) } else { a.max(b) }
            },
        )
    };
    let (x0, x1) = (bound(|p| p.0, true), bound(|p| p.0, false));
    let (y0, y1) = (bound(|p| p.1, true), bound(|p| p.1, false));
    let (inner_w, inner_h) = (width - 2.0 * margin, height - 2.0 * margin);
    let span_x = (x1 - x0).max(MIN_SPAN_M);
    let span_y = (y1 - y0).max(MIN_SPAN_M);
    let per_metre = (inner_w / span_x).min(inner_h / span_y);
    // Centre the points' box in the plot.
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let placed = metres
        .iter()
        .map(|(x, y)| Placed {
            x: width / 2.0 + (x - cx) * per_metre,
            y: height / 2.0 - (y - cy) * per_metre,
        })
        .collect();
    let scale_m = nice_floor(inner_w / per_metre / 4.0);
    Plot {
        points: if points.is_empty() {
            Vec::new()
        } else {
            placed
        },
        scale_m,
        scale_len: scale_m * per_metre,
    }
}

/// A value rounded down to 1, 2 or 5 × 10ⁿ.
#[must_use]
pub fn nice_floor(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return 1.0;
    }
    let power = 10_f64.powf(value.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * power)
        .find(|v| *v <= value * (1.0 + 1e-12))
        .unwrap_or(power)
}

/// A length for the scale's label: `500 m`, `2 km`.
#[must_use]
pub fn metres_label(metres: f64) -> String {
    if metres >= 1000.0 {
        format!("{} km", metres / 1000.0)
    } else {
        format!("{metres} m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn axes_end_on_round_numbers() {
        for (value, ceiling, floor) in [
            (0.0, 1.0, 1.0),
            (1.0, 1.0, 1.0),
            (17_999.0, 20_000.0, 10_000.0),
            (12_000.0, 20_000.0, 10_000.0),
            (20_000.0, 20_000.0, 20_000.0),
            (3_100.0, 5_000.0, 2_000.0),
            (50_000.0, 50_000.0, 50_000.0),
            (0.4, 0.5, 0.2),
        ] {
            assert_eq!(nice_ceiling(value), ceiling, "ceiling of {value}");
            assert_eq!(nice_floor(value), floor, "floor of {value}");
        }
        assert_eq!(metres_label(500.0), "500 m");
        assert_eq!(metres_label(2000.0), "2 km");
    }

    #[test]
    fn bars_are_the_last_days_oldest_first_with_gaps_kept() {
        let last = date!(2026 - 03 - 02);
        let counts = [
            (date!(2026 - 03 - 02), 9_000),
            (date!(2026 - 02 - 28), 18_000),
            (date!(2026 - 02 - 20), 50_000), // outside the window
        ];
        let (bars, top) = step_bars(&counts, last, 4);
        assert_eq!(top, 20_000.0);
        let read: Vec<(Date, Option<u32>, usize, f64)> = bars
            .iter()
            .map(|b| (b.day, b.steps, b.slot, b.share))
            .collect();
        assert_eq!(
            read,
            [
                (date!(2026 - 02 - 27), None, 0, 0.0),
                (date!(2026 - 02 - 28), Some(18_000), 1, 0.9),
                (date!(2026 - 03 - 01), None, 2, 0.0),
                (date!(2026 - 03 - 02), Some(9_000), 3, 0.45),
            ]
        );
    }

    #[test]
    fn the_heat_map_is_53_weeks_of_mondays_to_sundays() {
        let last = date!(2026 - 12 - 02); // a Wednesday
        let counts = [
            (last, 12_000),
            (date!(2026 - 11 - 30), 3_999),
            (date!(2026 - 11 - 29), 4_000),
            (date!(2026 - 11 - 28), 8_000),
        ];
        let cells = heat_map(&counts, last);
        assert_eq!(cells.len(), 52 * 7 + 3);
        let first = cells[0];
        assert_eq!(
            (first.day, first.week, first.weekday),
            (date!(2025 - 12 - 01), 0, 0)
        );
        let end = cells.last().expect("cells");
        assert_eq!(
            (end.day, end.week, end.weekday, end.level),
            (last, 52, 2, 4)
        );
        let level_of = |d: Date| cells.iter().find(|c| c.day == d).map(|c| c.level);
        assert_eq!(level_of(date!(2026 - 11 - 30)), Some(1));
        assert_eq!(level_of(date!(2026 - 11 - 29)), Some(2));
        assert_eq!(level_of(date!(2026 - 11 - 28)), Some(3));
        assert_eq!(level_of(date!(2026 - 11 - 27)), Some(0));
        assert_eq!(starts_month(&cells, 0), Some(time::Month::December));
        assert_eq!(starts_month(&cells, 1), None);
    }

    #[test]
    fn the_plot_keeps_north_up_and_metres_equal() {
        // Two points 0.01° apart in latitude and longitude at 22.5° N.
        let plot = plot(&[(22.50, 114.00), (22.51, 114.01)], 400.0, 300.0, 20.0);
        let [sw, ne] = [plot.points[0], plot.points[1]];
        assert!(ne.y < sw.y, "north is up");
        assert!(ne.x > sw.x, "east is right");
        // 0.01° of longitude is cos(22.5°) ≈ 0.924 of 0.01° of latitude.
        let ratio = (ne.x - sw.x) / (sw.y - ne.y);
        assert!(
            (ratio - 22.505_f64.to_radians().cos()).abs() < 1e-3,
            "{ratio}"
        );
        // The taller side fills the inner height, centred.
        assert!((sw.y - ne.y - 260.0).abs() < 1e-6);
        assert!(((sw.x + ne.x) / 2.0 - 200.0).abs() < 1e-6);
        // 1,112 m tall in 260 units: a quarter of 360 units is ~385 m → 200 m.
        assert_eq!(plot.scale_m, 200.0);
        assert!(
            (plot.scale_len - 200.0 * 260.0 / 1_111.95).abs() < 0.5,
            "{}",
            plot.scale_len
        );
        // One point sits in the middle; none gives an empty plot.
        let one = super::plot(&[(22.5, 114.0)], 400.0, 300.0, 20.0);
        assert_eq!(one.points, [Placed { x: 200.0, y: 150.0 }]);
        assert!(super::plot(&[], 400.0, 300.0, 20.0).points.is_empty());
    }
}
