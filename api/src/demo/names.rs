//! The name tables the demo people and schools are drawn from.

use rand::{rngs::StdRng, seq::IndexedRandom};

use super::Seeder;

pub(super) const FIRST_NAMES: [&str; 40] = [
    "Aaliyah", "Aiden", "Amara", "Andre", "Ava", "Benjamin", "Camila", "Carlos", "Chloe", "Daniel",
    "Destiny", "Diego", "Elena", "Elijah", "Emma", "Ethan", "Fatima", "Gabriel", "Grace", "Hana",
    "Isaiah", "Jada", "James", "Jayden", "Kai", "Leah", "Liam", "Lucia", "Malik", "Maya", "Mateo",
    "Mia", "Noah", "Nia", "Olivia", "Omar", "Priya", "Sofia", "Tyler", "Zoe",
];
pub(super) const LAST_NAMES: [&str; 40] = [
    "Adams",
    "Ahmed",
    "Baker",
    "Brooks",
    "Chen",
    "Clark",
    "Cruz",
    "Davis",
    "Diaz",
    "Evans",
    "Flores",
    "Garcia",
    "Green",
    "Hall",
    "Harris",
    "Hernandez",
    "Jackson",
    "Johnson",
    "Kim",
    "Lee",
    "Lopez",
    "Martin",
    "Martinez",
    "Miller",
    "Moore",
    "Nguyen",
    "Patel",
    "Perez",
    "Reed",
    "Rivera",
    "Robinson",
    "Sanchez",
    "Scott",
    "Smith",
    "Taylor",
    "Thomas",
    "Torres",
    "Walker",
    "Williams",
    "Wright",
];
pub(super) const SCHOOL_NAMES: [&str; 20] = [
    "Lincoln",
    "Washington",
    "Roosevelt",
    "Jefferson",
    "Madison",
    "Harriet Tubman",
    "Cesar Chavez",
    "Oak Grove",
    "Riverside",
    "Maple Park",
    "Frederick Douglass",
    "Sojourner Truth",
    "Lakeview",
    "Hillcrest",
    "Eastwood",
    "Westfield",
    "Northgate",
    "Southside",
    "Willow Creek",
    "Cedar Ridge",
];
pub(super) const LANGUAGES: [&str; 5] = ["spa", "vie", "ara", "som", "hmn"];

/// One entry of `table`, drawn with `rng` (one draw, as `choose` makes).
pub(super) fn pick(rng: &mut StdRng, table: &[&str], fallback: &str) -> String {
    table.choose(rng).copied().unwrap_or(fallback).to_string()
}

impl Seeder {
    /// A (first, last) name.
    pub(super) fn name(&mut self) -> (String, String) {
        (
            pick(&mut self.rng, &FIRST_NAMES, "Alex"),
            pick(&mut self.rng, &LAST_NAMES, "Smith"),
        )
    }
}
