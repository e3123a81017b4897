// The generated types carry the mapped scalars: `tsc` fails if Date or DateTime come out as
// `any` or anything but `string`.
import type { StudentsQuery } from "./generated/graphql";

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Student = StudentsQuery["students"]["edges"][number]["node"];

export const birthDateIsText: Equals<NonNullable<Student["birthDate"]>, string> = true;
export const updatedAtIsText: Equals<Student["updatedAt"], string> = true;
