-- Screen 1 by hand: one school's first 50 students (+1 to know whether a next page exists),
-- each relation fetched once for the whole page by the page's ids.
-- Variables: district, school, today.
SELECT name FROM school
 WHERE id = :school AND district_id = :district AND deleted_at IS NULL;

SELECT count(*) FROM student s
 WHERE s.district_id = :district AND s.deleted_at IS NULL
   AND s.id IN (SELECT e.student_id FROM enrollment e
                 WHERE e.school_id = :school AND e.deleted_at IS NULL AND e.entry_date <= :today
                   AND (e.exit_date IS NULL OR e.exit_date >= :today));

SELECT array_agg(p.id ORDER BY p.legal_last_name, p.id) AS ids,
       json_agg(p ORDER BY p.legal_last_name, p.id) AS page
  FROM (SELECT page.*, cur.name AS school
          FROM (SELECT s.id, s.legal_last_name, s.legal_first_name, s.grade_level
                  FROM student s
                 WHERE s.district_id = :district AND s.deleted_at IS NULL
                   AND s.id IN (SELECT e.student_id FROM enrollment e
                                 WHERE e.school_id = :school AND e.deleted_at IS NULL
                                   AND e.entry_date <= :today
                                   AND (e.exit_date IS NULL OR e.exit_date >= :today))
                 ORDER BY s.legal_last_name, s.id LIMIT 51) page
          LEFT JOIN LATERAL (
                SELECT sc.name FROM enrollment e JOIN school sc ON sc.id = e.school_id
                 WHERE e.student_id = page.id AND e.deleted_at IS NULL
                   AND e.entry_date <= :today AND (e.exit_date IS NULL OR e.exit_date >= :today)
                 ORDER BY e.is_primary DESC, e.entry_date DESC LIMIT 1) cur ON true) p
\gset

SELECT student_id, domain, tier FROM tier_placement
 WHERE district_id = :district AND student_id = ANY (:ids::uuid[]) AND effective_to IS NULL
 ORDER BY student_id, domain;

SELECT p.id, p.student_id, i.name, p.goal, p.baseline, p.target
  FROM student_intervention p JOIN intervention i ON i.id = p.intervention_id
 WHERE p.district_id = :district AND p.student_id = ANY (:ids::uuid[]) AND p.status = 'ACTIVE'
 ORDER BY p.student_id, p.start_date DESC;

SELECT plan_id, date, value
  FROM (SELECT pp.plan_id, pp.date, pp.value,
               row_number() OVER (PARTITION BY pp.plan_id ORDER BY pp.date DESC) AS n
          FROM progress_point pp JOIN student_intervention p ON p.id = pp.plan_id
         WHERE p.district_id = :district AND p.student_id = ANY (:ids::uuid[])
           AND p.status = 'ACTIVE') points
 WHERE n <= 5;

SELECT sg.student_id, sg.relationship, sg.contact_priority, sg.restriction,
       g.first_name, g.last_name, g.phone
  FROM student_guardian sg JOIN guardian g ON g.id = sg.guardian_id
 WHERE sg.district_id = :district AND sg.deleted_at IS NULL AND g.deleted_at IS NULL
   AND sg.student_id = ANY (:ids::uuid[])
 ORDER BY sg.student_id, sg.contact_priority;
