# 年度（或半年）党建工作总结。期间写作 2022（年）；语法见 quarterly.tpl 开头。
!title {org_unit}{period_name}党建工作总结

{period_name}，{org_unit}党组织共{orgs_total}个，其中党支部{orgs_branches}个。
期末在册党员{members_total}名，其中正式党员{members_full}名。
预备党员{members_probationary}名。
{period_name}新发展党员{members_joined}名。
【待填写：全年党建工作总体评价】

!h1 主要工作开展情况

!h2 理论学习和政治建设。
制定{study_plans}，安排学习专题{study_plan_items}个。
召开党组会{activities_party_group_meeting_count}次，第一议题覆盖率{first_agenda_rate}；中心组集中学习{activities_central_group_study_count}次；“周五学习日”{activities_fixed_study_day_count}次，学习了{study_topics}。
召开{activities_democratic_life_meeting_titles}。

!h2 基层组织建设。
各党支部召开支部党员大会{activities_branch_assembly_count}次、支部委员会会议{activities_committee_meeting_count}次、党小组会{activities_cell_meeting_count}次，讲党课{activities_party_lecture_count}次，开展主题党日{activities_theme_day_count}次，召开组织生活会{activities_org_life_meeting_count}次。
对照制度规定，各项组织生活要求的落实率为{compliance_rate}。

!h2 党费收缴和管理。
全年收缴党费{dues_collected_fen}元，上缴{dues_remitted_fen}元{dues_remitted_in_full?}，均按期足额上缴。

!h2 党风廉政建设。
开展警示教育{activities_warning_education_count}次，发出节日纪律要求{activities_festival_discipline_notice_count}次。
【待填写：党风廉政建设其他工作】

!h1 存在的问题和不足
未落实的制度要求{compliance_gaps:count}项：{compliance_gaps:semi}。
【待填写：问题分析】

!h1 下步工作打算
下一期须按期完成：{compliance_next_obligations:semi}。
【待填写：工作打算】

!date
