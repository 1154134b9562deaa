//! Daily steps as bars and as a year's heat map, location points on a plot:
//! SVG drawn on the server that hydrates (no chart library), each with a
//! way to read the figures that is not the picture.

use crate::data::DataPage;
use crate::i18n::use_texts;
use domain::data::chart::{self, Bar, Cell};
use domain::data::range::parse_day;
use domain::deadlines::{format_local, local_date};
use leptos::prelude::*;
use time::{Date, OffsetDateTime, format_description::well_known::Rfc3339};

/// The day counts of a steps page.
fn day_counts(page: &DataPage) -> Vec<(Date, u32)> {
    page.items
        .iter()
        .filter_map(|item| {
            let day = parse_day(item.day.as_deref()?)?;
            let steps = item
                .fields
                .iter()
                .find(|f| f.key == "steps")?
                .value
                .parse()
                .ok()?;
            Some((day, steps))
        })
        .collect()
}

/// `12,345` / `12,345` (both languages group by thousands).
fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bar chart geometry (SVG units).
const BAR_W: f64 = 640.0;
const BAR_H: f64 = 220.0;
const AXIS_LEFT: f64 = 56.0;
const AXIS_BOTTOM: f64 = 28.0;
const TOP_PAD: f64 = 12.0;
/// Heat-map geometry.
const CELL: f64 = 11.0;
const GAP: f64 = 2.0;
const HEAT_LEFT: f64 = 30.0;
const HEAT_TOP: f64 = 18.0;

/// The last 30 days as bars, the year as a heat map, and the 30 days as a
/// table. `to` is the range's last day, when one is chosen.
#[component]
pub fn StepsChart(page: DataPage, to: Option<String>) -> impl IntoView {
    let texts = use_texts();
    let last = to
        .as_deref()
        .and_then(parse_day)
        .unwrap_or_else(|| local_date(OffsetDateTime::now_utc(), &page.time_zone));
    let counts = day_counts(&page);
    let (bars, top) = chart::step_bars(&counts, last, 30);
    let cells = chart::heat_map(&counts, last);
    let readout = RwSignal::new(None::<(Date, Option<u32>)>);
    let plot_h = BAR_H - AXIS_BOTTOM - TOP_PAD;
    let slot = (BAR_W - AXIS_LEFT) / 30.0;
    let y_of = |share: f64| TOP_PAD + plot_h * (1.0 - share);
    let ticks = [0.0, 0.5, 1.0].map(|share| {
        let value = (top * share).round() as u32;
        view! {
            <g class="tick">
                <line x1=AXIS_LEFT x2=BAR_W y1=y_of(share) y2=y_of(share)/>
                <text x=AXIS_LEFT - 6.0 y=y_of(share) + 4.0 text-anchor="end">{grouped(value)}</text>
            </g>
        }
    });
    let describe = move |day: Date, steps: Option<u32>| {
        let t = texts.get();
        match steps {
            Some(s) => format!("{day}: {} {}", grouped(s), t.term("steps")),
            None => format!("{day}: {}", t.term("no_record")),
        }
    };
    let bar_views = bars
        .iter()
        .map(|b: &Bar| {
            let Bar {
                day,
                steps,
                slot: i,
                share,
            } = *b;
            let x = AXIS_LEFT + slot * i as f64 + slot * 0.15;
            let label = (i % 7 == 2).then(|| {
                view! {
                    <text class="x-label" x=x + slot * 0.35 y=BAR_H - 8.0 text-anchor="middle">
                        {format!("{:02}-{:02}", u8::from(day.month()), day.day())}
                    </text>
                }
            });
            let height = (plot_h * share).max(if steps.is_some() { 1.0 } else { 0.0 });
            view! {
                <g>
                    <rect class="bar" class:empty=steps.is_none() x=x y=TOP_PAD + plot_h - height
                        width=slot * 0.7 height=height.max(0.0) rx="2"
                        tabindex="0" role="img" aria-label=move || describe(day, steps)
                        data-testid="step-bar" data-day=day.to_string()
                        data-steps=steps.map(|s| s.to_string()).unwrap_or_default()
                        on:focus=move |_| readout.set(Some((day, steps)))
                        on:mouseenter=move |_| readout.set(Some((day, steps)))>
                        <title>{move || describe(day, steps)}</title>
                    </rect>
                    {label}
                </g>
            }
        })
        .collect_view();
    let weeks = cells.last().map_or(0, |c| c.week + 1);
    let month_labels = (0..weeks)
        .filter_map(|w| chart::starts_month(&cells, w).map(|m| (w, m)))
        .map(|(w, m)| {
            view! {
                <text class="x-label" x=HEAT_LEFT + w as f64 * (CELL + GAP) y=HEAT_TOP - 6.0>
                    {format!("{:02}", u8::from(m))}
                </text>
            }
        })
        .collect_view();
    let heat_cells = cells
        .iter()
        .map(|c: &Cell| {
            let Cell {
                day,
                steps,
                week,
                weekday,
                level,
            } = *c;
            view! {
                <rect class=format!("heat heat-{level}") x=HEAT_LEFT + week as f64 * (CELL + GAP)
                    y=HEAT_TOP + f64::from(weekday) * (CELL + GAP) width=CELL height=CELL rx="2"
                    data-testid="heat-cell" data-day=day.to_string()
                    on:mouseenter=move |_| readout.set(Some((day, steps)))>
                    <title>{move || describe(day, steps)}</title>
                </rect>
            }
        })
        .collect_view();
    let heat_w = HEAT_LEFT + weeks as f64 * (CELL + GAP);
    let heat_h = HEAT_TOP + 7.0 * (CELL + GAP);
    let weekday_labels = [(0, "Mon", "一"), (2, "Wed", "三"), (4, "Fri", "五")].map(|(row, en, zh)| {
        view! {
            <text class="x-label" x=HEAT_LEFT - 4.0 y=HEAT_TOP + f64::from(row) * (CELL + GAP) + 9.0 text-anchor="end">
                {move || if texts.get().locale == domain::Locale::Zh { zh } else { en }}
            </text>
        }
    });
    let table_rows = bars
        .iter()
        .rev()
        .map(|b| {
            let (day, steps) = (b.day, b.steps);
            view! {
                <tr data-testid="step-row" data-day=day.to_string()>
                    <th scope="row"><time datetime=day.to_string()>{day.to_string()}</time></th>
                    <td class="number">{move || steps.map_or_else(|| texts.get().term("no_record"), grouped)}</td>
                </tr>
            }
        })
        .collect_view();
    let legend = (0..=4_u8)
        .map(
            |level| view! { <span class=format!("swatch heat-{level}") aria-hidden="true"></span> },
        )
        .collect_view();
    view! {
        <section class="chart-block" data-testid="steps-chart">
            <h2>{move || texts.get().term("steps_last_30")}</h2>
            <div class="chart-with-table">
                <figure class="chart">
                    <svg viewBox=format!("0 0 {BAR_W} {BAR_H}") role="group"
                        aria-label=move || texts.get().term("steps_chart_label")>
                        {ticks}
                        {bar_views}
                    </svg>
                    <figcaption class="chart-readout" aria-live="polite" data-testid="chart-readout">
                        {move || readout.get().map(|(d, s)| describe(d, s))}
                    </figcaption>
                </figure>
                <div class="table-scroll" tabindex="0" role="region" aria-label=move || texts.get().term("steps_table")>
                    <table class="data-table compact" data-testid="steps-table">
                        <caption>{move || texts.get().term("steps_table")}</caption>
                        <thead><tr>
                            <th scope="col">{move || texts.get().term("day")}</th>
                            <th scope="col" class="number">{move || texts.get().term("steps")}</th>
                        </tr></thead>
                        <tbody>{table_rows}</tbody>
                    </table>
                </div>
            </div>
            <h2>{move || texts.get().term("steps_year")}</h2>
            <figure class="chart heat-map">
                <svg viewBox=format!("0 0 {heat_w} {heat_h}") role="img"
                    aria-label=move || texts.get().term("steps_heat_label")>
                    {month_labels}
                    {weekday_labels}
                    {heat_cells}
                </svg>
                <figcaption class="legend">
                    {move || texts.get().term("steps_less")} " " {legend} " " {move || texts.get().term("steps_more")}
                    <span class="hint">
                        {format!(" (< {} · < {} · < {} · ≥ {})",
                            grouped(chart::LEVELS[0]), grouped(chart::LEVELS[1]),
                            grouped(chart::LEVELS[2]), grouped(chart::LEVELS[2]))}
                    </span>
                </figcaption>
            </figure>
        </section>
    }
}

/// Plot geometry.
const PLOT_W: f64 = 640.0;
const PLOT_H: f64 = 400.0;
const PLOT_MARGIN: f64 = 28.0;

/// The points of the chosen days on a plot with a scale and a north arrow;
/// a single day's points are joined in time order.
#[component]
pub fn LocationPlot(page: DataPage, one_day: bool) -> impl IntoView {
    let texts = use_texts();
    let zone = page.time_zone.clone();
    // Oldest first, so a day's track runs forwards.
    let mut points: Vec<(f64, f64, String)> = page
        .items
        .iter()
        .filter_map(|item| {
            let field = |key: &str| {
                item.fields
                    .iter()
                    .find(|f| f.key == key)
                    .and_then(|f| f.value.parse::<f64>().ok())
            };
            let when = item
                .at
                .as_deref()
                .and_then(|at| OffsetDateTime::parse(at, &Rfc3339).ok())
                .map(|at| format_local(at, &zone))
                .unwrap_or_default();
            Some((field("latitude")?, field("longitude")?, when))
        })
        .collect();
    points.reverse();
    let coordinates: Vec<(f64, f64)> = points.iter().map(|(lat, lon, _)| (*lat, *lon)).collect();
    let plot = chart::plot(&coordinates, PLOT_W, PLOT_H, PLOT_MARGIN);
    let capped = page.items.len() >= 5_000;
    let track = (one_day && plot.points.len() > 1).then(|| {
        let d: Vec<String> = plot
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, p.x, p.y))
            .collect();
        view! { <path class="track" d=d.join(" ")/> }
    });
    let dots = plot
        .points
        .iter()
        .zip(points.iter())
        .map(|(p, (lat, lon, when))| {
            let title = format!("{when} · {lat:.5}, {lon:.5}");
            view! {
                <circle class="point" cx=format!("{:.1}", p.x) cy=format!("{:.1}", p.y) r="4"
                    data-testid="plot-point">
                    <title>{title}</title>
                </circle>
            }
        })
        .collect_view();
    let count = plot.points.len();
    let scale_y = PLOT_H - 14.0;
    let scale_x1 = PLOT_MARGIN;
    let scale_x2 = PLOT_MARGIN + plot.scale_len;
    let scale_label = chart::metres_label(plot.scale_m);
    view! {
        <section class="chart-block" data-testid="location-plot">
            <h2>{move || texts.get().term("plot_title")}</h2>
            <figure class="chart plot">
                <svg viewBox=format!("0 0 {PLOT_W} {PLOT_H}") role="img"
                    aria-label=move || format!("{} ({count} {})", texts.get().term("plot_label"), texts.get().term("plot_count"))>
                    <rect class="plot-ground" x="0" y="0" width=PLOT_W height=PLOT_H rx="8"/>
                    {track}
                    {dots}
                    <g class="scale" data-testid="plot-scale" data-metres=plot.scale_m.to_string()>
                        <line x1=scale_x1 x2=scale_x2 y1=scale_y y2=scale_y/>
                        <line x1=scale_x1 x2=scale_x1 y1=scale_y - 5.0 y2=scale_y + 1.0/>
                        <line x1=scale_x2 x2=scale_x2 y1=scale_y - 5.0 y2=scale_y + 1.0/>
                        <text x=scale_x1 y=scale_y - 8.0>{scale_label}</text>
                    </g>
                    <g class="north" transform=format!("translate({} 16)", PLOT_W - 30.0)>
                        <path d="M0,0 L8,22 L0,17 L-8,22 Z"/>
                        <text x="0" y="36" text-anchor="middle">{move || texts.get().term("plot_north")}</text>
                    </g>
                </svg>
                <figcaption class="hint" data-testid="plot-count">
                    {count} " " {move || texts.get().term("plot_count")}
                    {capped.then(|| view! { " · " {move || texts.get().term("plot_cap")} })}
                </figcaption>
            </figure>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::grouped(0), "0");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(12_345), "12,345");
        assert_eq!(super::grouped(1_234_567), "1,234,567");
    }
}
