-- Screen 2 by hand: tier 3 for behavior and chronically absent this school year. Absences
-- are counted per tier-3 student through the (student_id, date) index. Variables: district,
-- today, year_start.
SELECT count(*)
  FROM tier_placement t
  JOIN student s ON s.id = t.student_id
 CROSS JOIN LATERAL (
        SELECT count(*) AS days,
               sum(CASE WHEN a.status IN ('EXCUSED', 'UNEXCUSED') THEN 1 ELSE 0 END) AS absent
          FROM attendance_day a
         WHERE a.student_id = t.student_id AND a.district_id = :district
           AND a.date BETWEEN :year_start AND :today) att
 WHERE t.district_id = :district AND t.domain = 'BEHAVIOR' AND t.tier = 3
   AND t.effective_to IS NULL AND s.district_id = :district AND s.deleted_at IS NULL
   AND att.days > 0 AND att.absent * 10 >= att.days;

SELECT array_agg(p.id ORDER BY p.legal_last_name, p.id) AS ids,
       json_agg(p ORDER BY p.legal_last_name, p.id) AS page
  FROM (SELECT page.*, cur.name AS school
          FROM (SELECT s.id, s.legal_last_name, s.legal_first_name, att.days, att.absent
                  FROM tier_placement t
                  JOIN student s ON s.id = t.student_id
                 CROSS JOIN LATERAL (
                        SELECT count(*) AS days,
                               sum(CASE WHEN a.status IN ('EXCUSED', 'UNEXCUSED')
                                        THEN 1 ELSE 0 END) AS absent
                          FROM attendance_day a
                         WHERE a.student_id = t.student_id AND a.district_id = :district
                           AND a.date BETWEEN :year_start AND :today) att
                 WHERE t.district_id = :district AND t.domain = 'BEHAVIOR' AND t.tier = 3
                   AND t.effective_to IS NULL AND s.district_id = :district
                   AND s.deleted_at IS NULL AND att.days > 0 AND att.absent * 10 >= att.days
                 ORDER BY s.legal_last_name, s.id LIMIT 21) page
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
