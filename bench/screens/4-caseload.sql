-- Screen 4 by hand: a social worker's caseload, its schools' students (the policy's
-- condition: enrolled there today). Variables: district, schools ({id,id,...}), today.
SELECT count(*) FROM student s
 WHERE s.district_id = :district AND s.deleted_at IS NULL
   AND s.id IN (SELECT e.student_id FROM enrollment e
                 WHERE e.school_id = ANY (:schools::uuid[]) AND e.deleted_at IS NULL
                   AND e.entry_date <= :today
                   AND (e.exit_date IS NULL OR e.exit_date >= :today));

SELECT array_agg(p.id ORDER BY p.legal_last_name, p.id) AS ids,
       json_agg(p ORDER BY p.legal_last_name, p.id) AS page
  FROM (SELECT page.*, cur.name AS school
          FROM (SELECT s.id, s.legal_last_name, s.legal_first_name, s.grade_level
                  FROM student s
                 WHERE s.district_id = :district AND s.deleted_at IS NULL
                   AND s.id IN (SELECT e.student_id FROM enrollment e
                                 WHERE e.school_id = ANY (:schools::uuid[])
                                   AND e.deleted_at IS NULL
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

SELECT p.id, p.student_id, i.name, p.goal, p.start_date, p.planned_end_date
  FROM student_intervention p JOIN intervention i ON i.id = p.intervention_id
 WHERE p.district_id = :district AND p.student_id = ANY (:ids::uuid[]) AND p.status = 'ACTIVE'
 ORDER BY p.student_id, p.start_date DESC;
