//! Distances on the Earth's surface, for "near a place" searches and, later,
//! matching.

const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in kilometres (haversine).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}

/// The point as a unit vector from the Earth's centre.
pub fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (p, l) = (lat.to_radians(), lon.to_radians());
    [p.cos() * l.cos(), p.cos() * l.sin(), p.sin()]
}

/// The straight-line (chord) distance between two unit vectors, in km on
/// the Earth: never more than [`distance_km`] between the same points,
/// and much cheaper.
pub fn chord_km(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let (x, y, z) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    EARTH_RADIUS_KM * (x * x + y * y + z * z).sqrt()
}

/// A box (south, west, north, east) that holds every point within
/// `radius_km` of the centre: a cheap index-friendly first filter, refined
/// with [`distance_km`].
pub fn bounding_box(lat: f64, lon: f64, radius_km: f64) -> (f64, f64, f64, f64) {
    let dlat = (radius_km / EARTH_RADIUS_KM).to_degrees();
    let cos = lat.to_radians().cos().abs().max(0.01);
    let dlon = (dlat / cos).min(180.0);
    ((lat - dlat).max(-90.0), (lon - dlon).max(-180.0), (lat + dlat).min(90.0), (lon + dlon).min(180.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chord_is_never_longer_than_the_arc() {
        let points =
            [(44.35, 2.57), (43.6, 1.44), (48.85, 2.35), (-33.9, 151.2), (64.1, -21.9), (44.3501, 2.5701)];
        for &(a, b) in &points {
            for &(c, d) in &points {
                let (arc, chord) =
                    (distance_km(a, b, c, d), chord_km(&unit_vector(a, b), &unit_vector(c, d)));
                assert!(chord <= arc + 1e-9 && chord >= arc * 0.5, "{arc} {chord}");
                assert!(arc >= 50.0 || arc - chord < 0.001, "close points: {arc} {chord}");
            }
        }
    }

    #[test]
    fn distances_are_right() {
        // Millau to Saint-Affrique, as the crow flies: about 21.6 km.
        let d = distance_km(44.0981, 3.0777, 43.9585, 2.8869);
        assert!((d - 21.6).abs() < 1.0, "{d}");
        assert!(distance_km(0.0, 0.0, 0.0, 0.0).abs() < 1e-9);
    }

    #[test]
    fn the_box_holds_the_circle() {
        let (s, w, n, e) = bounding_box(43.95, 2.88, 10.0);
        assert!(s < 43.95 && n > 43.95 && w < 2.88 && e > 2.88);
        assert!(distance_km(43.95, 2.88, n, 2.88) >= 9.99);
    }
}
